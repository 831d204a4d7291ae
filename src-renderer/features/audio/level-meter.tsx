import { silenceDb } from './pcm-frames';

/** The quietest level the meter shows; speech into a headset sits around -30 to -10 dBFS. */
const floorDb = -60;

/** Share of the meter filled for a level in dBFS: -60 dB and below empty, 0 dB full. */
export function meterFraction(levelDb: number): number {
  if (!Number.isFinite(levelDb) || levelDb <= floorDb) return 0;
  return Math.min(1, (levelDb - floorDb) / -floorDb);
}

/**
 * A plain horizontal bar: no peaks, no colours that flash, so that it can sit beside a call
 * without drawing the eye. `data-level-db` carries the rounded level for tests and tooltips.
 */
export function LevelMeter({
  levelDb,
  live,
  label,
  testId,
}: {
  levelDb: number;
  /** False when no audio is flowing (the bar is greyed). */
  live: boolean;
  label: string;
  testId: string;
}) {
  const fraction = live ? meterFraction(levelDb) : 0;
  const rounded = Math.round(live ? levelDb : silenceDb);
  return (
    <div
      className={`hc-meter${live ? '' : ' hc-meter--idle'}`}
      role="meter"
      aria-label={label}
      aria-valuemin={floorDb}
      aria-valuemax={0}
      aria-valuenow={Math.max(floorDb, rounded)}
      aria-valuetext={`${rounded} dBFS`}
      data-testid={testId}
      data-level-db={rounded}
      data-live={live}
    >
      <div className="hc-meter__fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
    </div>
  );
}
