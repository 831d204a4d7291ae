import { useEffect, useState } from 'react';
import type { Call } from '../../../src-main/contract';
import { formatOffset } from '../../shared/format';

/** How long the call has lasted; ticks once a second while it runs, still once it ended. */
export function CallClock({ call }: { call: Call }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (call.endedAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [call.endedAt]);
  const end = call.endedAt ? Date.parse(call.endedAt) : now;
  return <span className="hc-call-clock">{formatOffset(end - Date.parse(call.startedAt))}</span>;
}
