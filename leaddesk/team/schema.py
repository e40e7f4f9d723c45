"""The floor's schema in PostgreSQL, one list of statements per version step, and the
roles and row-level security that decide who sees which leads.

A call floor updates its desks one by one, so two LeadDesk versions share one floor for a
while: every step only adds (tables, columns with defaults, indexes), never renames or
drops, so that a desk of the version before keeps working on a floor one step ahead.
`floor_schema_version` records each step applied. Never edit a step that has shipped.

Who may do what (PostgreSQL roles; IT gives each person a login in one of the groups):
- leaddesk_agent: pushes and reads the leads of its own login only (row-level security);
- leaddesk_supervisor: reads and resends every desk's leads.
Both may ask `floor_duplicate`, which answers whether a phone and last name was sold at
another desk without showing that lead to an agent who may not read it.
"""

from __future__ import annotations

FLOOR_SCHEMA_VERSION = 1
AGENT_ROLE = "leaddesk_agent"
SUPERVISOR_ROLE = "leaddesk_supervisor"

MIGRATIONS: dict[int, tuple[str, ...]] = {
    0: (
        """CREATE TABLE floor_leads (
            id BIGSERIAL PRIMARY KEY,
            desk TEXT NOT NULL,                    -- the LeadDesk home it was entered at
            local_id BIGINT NOT NULL,              -- its id in that desk's own history
            unique_id TEXT NOT NULL,               -- lead_company_unique_id, for every resend
            agent TEXT NOT NULL,                   -- the agent's name, as the desk has it
            agent_role NAME NOT NULL DEFAULT current_user,  -- the login that pushed it
            created_at DOUBLE PRECISION NOT NULL,  -- unix time, the desk's clock
            updated_at DOUBLE PRECISION NOT NULL,  -- its last change at the desk
            seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),  -- its last change reached the floor
            state TEXT NOT NULL,
            destination TEXT NOT NULL,
            destination_name TEXT NOT NULL DEFAULT '',
            fields JSONB NOT NULL,                 -- the lead's fields as sent
            fname TEXT NOT NULL,
            lname TEXT NOT NULL,
            lname_key TEXT NOT NULL,               -- folded last name (domain.name_key)
            phone1 TEXT NOT NULL,
            email TEXT NOT NULL,
            customer_id TEXT NOT NULL DEFAULT '',
            errors JSONB NOT NULL DEFAULT '[]',
            tries INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            -- A resend for the floor: which desk holds the claim, until when, whether its
            -- post had started (a claim that lapsed mid-post may have arrived), and who
            -- resent it last (the owning desk takes that result into its own history).
            claim_desk TEXT,
            claim_until TIMESTAMPTZ,
            claim_posting BOOLEAN NOT NULL DEFAULT false,
            resent_by TEXT,
            resent_at TIMESTAMPTZ,
            result_taken BOOLEAN NOT NULL DEFAULT true,  -- false: the owner has yet to
            UNIQUE (desk, unique_id)
        )""",
        "CREATE INDEX floor_leads_newest ON floor_leads (created_at DESC, id DESC)",
        "CREATE INDEX floor_leads_duplicate ON floor_leads (phone1, lname_key, created_at)",
        "CREATE INDEX floor_leads_desk_updated ON floor_leads (desk, updated_at)",
        "CREATE INDEX floor_leads_state ON floor_leads (state, created_at DESC)",
        "CREATE INDEX floor_leads_agent ON floor_leads (agent, created_at DESC)",
        # An agent's first screen: row-level security filters on the login.
        "CREATE INDEX floor_leads_login ON floor_leads (agent_role, created_at DESC)",
        "CREATE INDEX floor_leads_results ON floor_leads (desk) WHERE NOT result_taken",
    ),
}

ROLES: tuple[str, ...] = tuple(
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
            CREATE ROLE {role} NOLOGIN;
        END IF;
    END $$"""
    for role in (AGENT_ROLE, SUPERVISOR_ROLE)
)

# Run after every migration, as they are idempotent: a step that adds a table adds its
# grants and policies here too.
ACCESS: tuple[str, ...] = (
    "ALTER TABLE floor_leads ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS agent_own_leads ON floor_leads",
    f"""CREATE POLICY agent_own_leads ON floor_leads TO {AGENT_ROLE}
        USING (agent_role = current_user) WITH CHECK (agent_role = current_user)""",
    "DROP POLICY IF EXISTS supervisor_every_lead ON floor_leads",
    f"""CREATE POLICY supervisor_every_lead ON floor_leads TO {SUPERVISOR_ROLE}
        USING (true) WITH CHECK (true)""",
    f"GRANT SELECT ON floor_schema_version TO {AGENT_ROLE}, {SUPERVISOR_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE ON floor_leads TO {AGENT_ROLE}, {SUPERVISOR_ROLE}",
    f"GRANT USAGE ON SEQUENCE floor_leads_id_seq TO {AGENT_ROLE}, {SUPERVISOR_ROLE}",
    # The duplicate guard across the floor: whether another desk queued or sold this
    # household recently, with no name or phone in the answer. SECURITY DEFINER: it runs
    # as the floor's owner, past the row-level security that hides other agents' leads.
    """CREATE OR REPLACE FUNCTION floor_duplicate(
            p_phone TEXT, p_lname_key TEXT, p_since DOUBLE PRECISION, p_desk TEXT)
        RETURNS TABLE (floor_id BIGINT, desk TEXT, agent TEXT, state TEXT)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            SELECT id, desk, agent, state FROM public.floor_leads
            WHERE phone1 = p_phone AND lname_key = p_lname_key AND created_at >= p_since
              AND state <> 'rejected' AND desk <> p_desk
            ORDER BY created_at DESC LIMIT 1
        $$""",
    "REVOKE ALL ON FUNCTION floor_duplicate(TEXT, TEXT, DOUBLE PRECISION, TEXT) FROM PUBLIC",
    f"""GRANT EXECUTE ON FUNCTION floor_duplicate(TEXT, TEXT, DOUBLE PRECISION, TEXT)
        TO {AGENT_ROLE}, {SUPERVISOR_ROLE}""",
)

VERSION_TABLE = """CREATE TABLE IF NOT EXISTS floor_schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_by TEXT NOT NULL DEFAULT current_user
)"""

# One `leaddesk team init` at a time migrates (a transaction-scoped advisory lock).
MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('leaddesk floor schema'))"


def setup_sql() -> str:
    """Every statement `leaddesk team init` runs on an empty floor, as one SQL file for
    IT to read or run with psql."""
    steps = [VERSION_TABLE, *ROLES]
    for version in sorted(MIGRATIONS):
        steps += [
            *MIGRATIONS[version],
            f"INSERT INTO floor_schema_version (version) VALUES ({version + 1})",
        ]
    steps += ACCESS
    header = (
        f"-- LeadDesk's floor, schema version {FLOOR_SCHEMA_VERSION}, for an empty database.\n"
        "-- Made by `leaddesk team init --sql`; run it as the floor's owner:\n"
        "--   psql -v ON_ERROR_STOP=1 -f team.sql postgresql://owner@host/floor\n"
        "-- A floor set up before: `leaddesk team init` migrates it instead.\n\n"
    )
    return header + "BEGIN;\n\n" + ";\n\n".join(steps) + ";\n\nCOMMIT;\n"
