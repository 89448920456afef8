"""On PostgreSQL, triggers make the security event log, the audit seals and
django-auditlog's change history append-only.

- UPDATE is refused, except two changes that leave the sealed content intact:
  sealing an event once (``seq``, ``prev_hash``, ``hash`` set while ``seq`` was
  empty), and a change-history entry losing its actor when the account is deleted
  (auditlog's ``on_delete=SET_NULL``; the seal keeps the actor's id).
- DELETE is refused, except by the pruning job (``gonghui audit prune``, which sets
  the transaction-local ``gonghui.prune``) and then only for rows older than the
  retention, checked here as well: 184 days for security events, 1096 days for
  accesses to personal data and the change history (``security.chain.KEEP_DAYS``).
  Even the pruning path cannot delete a young row.

SQLite has no such triggers; there the hash chains (``gonghui audit verify``) show
any change. A no-op on SQLite.
"""

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION gonghui_may_prune(row_time timestamptz, keep_days integer)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('gonghui.prune', true), '') = 'on'
       AND row_time < now() - make_interval(days => keep_days)
$$;

CREATE OR REPLACE FUNCTION gonghui_security_event_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF gonghui_may_prune(OLD.at, CASE WHEN OLD.chain = 'access' THEN 1096 ELSE 184 END) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'security events are append-only: row % may not be deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash')
           = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'security events are append-only: row % may not be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE FUNCTION gonghui_audit_seal_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND gonghui_may_prune(OLD.at, 1096) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit seals are append-only: seal % may not be changed or deleted', OLD.seq
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE OR REPLACE FUNCTION gonghui_log_entry_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF gonghui_may_prune(OLD.timestamp, 1096) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the change history is append-only: entry % may not be deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the change history is append-only: entry % may not be changed', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER security_event_append_only BEFORE UPDATE OR DELETE ON security_securityevent
    FOR EACH ROW EXECUTE FUNCTION gonghui_security_event_guard();
CREATE TRIGGER audit_seal_append_only BEFORE UPDATE OR DELETE ON security_auditseal
    FOR EACH ROW EXECUTE FUNCTION gonghui_audit_seal_guard();
CREATE TRIGGER log_entry_append_only BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION gonghui_log_entry_guard();
"""

DROP = """
DROP TRIGGER IF EXISTS log_entry_append_only ON auditlog_logentry;
DROP TRIGGER IF EXISTS audit_seal_append_only ON security_auditseal;
DROP TRIGGER IF EXISTS security_event_append_only ON security_securityevent;
DROP FUNCTION IF EXISTS gonghui_log_entry_guard();
DROP FUNCTION IF EXISTS gonghui_audit_seal_guard();
DROP FUNCTION IF EXISTS gonghui_security_event_guard();
DROP FUNCTION IF EXISTS gonghui_may_prune(timestamptz, integer);
"""


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # Without parameters, so that the "%" of RAISE is not read as a placeholder.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def create(apps, schema_editor):
    _run(schema_editor, FUNCTIONS)


def drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_security_events_and_seals"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
