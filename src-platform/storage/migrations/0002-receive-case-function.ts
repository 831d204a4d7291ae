import type { PlatformMigration } from './migration';

/**
 * Receiving a case in one statement. Done from the application, a submission took eight round trips
 * (BEGIN, look-up, sequence, insert, lock, change-log insert, COMMIT) and held the change-log lock
 * across two of them; 50 consoles submitting at once then queued on that lock (p95 360 ms on
 * PostgreSQL). Inside the database it is one round trip, and the lock is held only from the
 * change-log insert to the commit of this statement's own transaction.
 *
 * Same rules as before: a retry of the same content finds the stored case and gets its number back
 * without spending a new one; two requests racing with one case id meet at the primary key, where the
 * second waits for the first to commit and then (each statement of a VOLATILE function reads a fresh
 * snapshot under READ COMMITTED) finds its row.
 */
export const receiveCaseFunction: PlatformMigration = {
  version: 2,
  name: 'receiving a case in one statement',
  sql: `
CREATE FUNCTION platform_receive_case(
  p_case_id uuid,
  p_station_code text,
  p_code text,
  p_body jsonb,
  p_body_sha256 text,
  p_confirmed_at timestamptz,
  p_received_at timestamptz,
  -- 'P' + the date in China + '-': the sequence, zero-padded to seven digits (never truncated), follows.
  p_number_prefix text,
  -- The change-log snapshot of the new case, less its platform number (not known until here).
  p_snapshot jsonb
) RETURNS TABLE (outcome text, number text, first_received_at timestamptz, current_status text, stored_case_id uuid)
LANGUAGE plpgsql VOLATILE AS $receive$
DECLARE
  stored record;
  sequence_text text;
  new_number text;
BEGIN
  SELECT c.case_id, c.station_code, c.body_sha256, c.platform_number, c.received_at, c.status
    INTO stored FROM cases AS c WHERE c.case_id = p_case_id;
  IF NOT FOUND THEN
    sequence_text := nextval('platform_number_sequence')::text;
    new_number := p_number_prefix || lpad(sequence_text, greatest(7, length(sequence_text)), '0');
    INSERT INTO cases (case_id, platform_number, station_code, code, body, body_sha256, confirmed_at, received_at, status, updated_at)
    VALUES (p_case_id, new_number, p_station_code, p_code, p_body, p_body_sha256, p_confirmed_at, p_received_at, 'received', p_received_at)
    ON CONFLICT DO NOTHING;
    IF FOUND THEN
      -- advisoryLocks.changeLog (7265002), held until commit, so that cursors become visible in order.
      PERFORM pg_advisory_xact_lock(7265002);
      INSERT INTO case_changes (case_id, station_code, snapshot, changed_at)
      VALUES (p_case_id, p_station_code, p_snapshot || jsonb_build_object('platformNumber', new_number), p_received_at);
      RETURN QUERY SELECT 'created'::text, new_number, p_received_at, 'received'::text, p_case_id;
      RETURN;
    END IF;
    -- Nothing inserted: a concurrent request stored this case id since the look-up, or the station's
    -- code is already taken by another case id.
    SELECT c.case_id, c.station_code, c.body_sha256, c.platform_number, c.received_at, c.status
      INTO stored FROM cases AS c WHERE c.case_id = p_case_id;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'code-already-used'::text, c.platform_number, c.received_at, c.status, c.case_id
        FROM cases AS c WHERE c.station_code = p_station_code AND c.code = p_code;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY SELECT
    CASE
      WHEN stored.station_code <> p_station_code THEN 'case-id-of-another-station'
      WHEN stored.body_sha256 <> p_body_sha256 THEN 'content-differs'
      ELSE 'duplicate'
    END,
    stored.platform_number, stored.received_at, stored.status, stored.case_id;
END
$receive$;
`,
};
