import { useCallback, useEffect, useRef } from 'react';
import type { CaseDraft } from '../../../src-main/contract';
import { useApi, useEvent, useReconnected } from '../../api/api-context';

/**
 * Hands on every draft of the current call's work order: pushed after each utterance, and fetched
 * when the call changes (an imported recording may already have lines) or the event channel comes
 * back (drafts pushed meanwhile are gone). The receiver keeps only the newest.
 */
export function useCaseDraftFeed(callId: string | null, onDraft: (draft: CaseDraft) => void) {
  const api = useApi();
  const latestReceiver = useRef(onDraft);
  latestReceiver.current = onDraft;
  const currentCallId = useRef(callId);
  currentCallId.current = callId;

  useEvent('onDraftUpdated', (draft) => {
    if (draft.callId === currentCallId.current) latestReceiver.current(draft);
  });

  const fetchDraft = useCallback(
    (id: string) => {
      api.call('drafts.forCall', { callId: id }).then(
        (draft) => {
          if (currentCallId.current === id) latestReceiver.current(draft);
        },
        // Proposals are a help, not a need: without them the operator fills the form as before.
        () => undefined,
      );
    },
    [api],
  );

  useEffect(() => {
    if (callId) fetchDraft(callId);
  }, [callId, fetchDraft]);

  useReconnected(() => {
    if (currentCallId.current) fetchDraft(currentCallId.current);
  });
}
