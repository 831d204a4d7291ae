import { App } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/client';
import { useI18n, type MessageKey, type Translate } from '../i18n';

export function describeError(error: unknown, t: Translate): { title: string; detail: string } {
  if (error instanceof ApiError) {
    const key: MessageKey = error.network && error.code !== 'UNAUTHORIZED' ? 'error.network' : `error.${error.code}`;
    return { title: t(key), detail: error.info.message };
  }
  return { title: t('error.INTERNAL'), detail: error instanceof Error ? error.message : String(error) };
}

/** Tells the operator, in their language, what went wrong; the server's words go underneath. */
export function useErrorReporter() {
  const { notification } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (error: unknown) => {
      const { title, detail } = describeError(error, t);
      const code = error instanceof ApiError ? error.code : 'INTERNAL';
      notification.error({
        key: `api-error-${code}`,
        title,
        description: (
          <>
            {detail ? <div>{t('error.serverMessage', { message: detail })}</div> : null}
            <div>{t('error.nothingLost')}</div>
          </>
        ),
        duration: 8,
        props: { 'data-testid': 'error-notification', 'data-error-code': code } as React.HTMLAttributes<HTMLDivElement>,
      });
    },
    [notification, t],
  );
}
