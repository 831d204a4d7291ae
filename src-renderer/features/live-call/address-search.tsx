import { AutoComplete, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { AddressSuggestion } from '../../../src-main/contract';
import { useApi } from '../../api/api-context';
import { useI18n } from '../../i18n';

/** Finds a standard administrative division as the operator types, and hands the pick back. */
export function AddressSearch({ onPick, disabled }: { onPick: (suggestion: AddressSuggestion) => void; disabled?: boolean }) {
  const api = useApi();
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [suggestions, setSuggestions] = useState<AddressSuggestion[]>([]);
  const [searched, setSearched] = useState('');
  const latestQuery = useRef('');

  useEffect(() => {
    const query = text.trim().slice(0, 60);
    latestQuery.current = query;
    if (!query) {
      setSuggestions([]);
      setSearched('');
      return;
    }
    const timer = setTimeout(() => {
      api.call('reference.suggestAddress', { text: query, limit: 10 }).then(
        (found) => {
          if (latestQuery.current !== query) return;
          setSuggestions(found);
          setSearched(query);
        },
        // Suggestions are a convenience: a failed lookup leaves the fields to be typed by hand.
        () => setSuggestions([]),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [api, text]);

  return (
    <AutoComplete
      value={text}
      onChange={(value: string) => setText(value)}
      disabled={disabled}
      placeholder={t('form.addressSearchPlaceholder')}
      data-testid="address-search"
      notFoundContent={searched && suggestions.length === 0 ? t('form.addressNoMatch') : null}
      options={suggestions.map((suggestion) => ({
        key: suggestion.code,
        value: suggestion.fullName,
        label: (
          <div className="hc-address-option" data-testid="address-option" data-code={suggestion.code}>
            <span>{suggestion.fullName}</span>
            <Tag variant="outlined">{t(`addressLevel.${suggestion.level}`)}</Tag>
          </div>
        ),
      }))}
      onSelect={(value: string) => {
        const picked = suggestions.find((suggestion) => suggestion.fullName === value);
        if (picked) onPick(picked);
      }}
    />
  );
}
