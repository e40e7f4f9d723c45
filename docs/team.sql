-- LeadDesk's floor, schema version 1, for an empty database.
-- Made by `leaddesk team init --sql`; run it as the floor's owner:
--   psql -v ON_ERROR_STOP=1 -f team.sql postgresql://owner@host/floor
-- A floor set up before: `leaddesk team init` migrates it instead.

BEGIN;

CREATE TABLE IF NOT EXISTS floor_schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_by TEXT NOT NULL DEFAULT current_user
);

DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'leaddesk_agent') THEN
            CREATE ROLE leaddesk_agent NOLOGIN;
        END IF;
    END $$;

DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'leaddesk_supervisor') THEN
            CREATE ROLE leaddesk_supervisor NOLOGIN;
        END IF;
    END $$;

CREATE TABLE floor_leads (
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
        );

CREATE INDEX floor_leads_newest ON floor_leads (created_at DESC, id DESC);

CREATE INDEX floor_leads_duplicate ON floor_leads (phone1, lname_key, created_at);

CREATE INDEX floor_leads_desk_updated ON floor_leads (desk, updated_at);

CREATE INDEX floor_leads_state ON floor_leads (state, created_at DESC);

CREATE INDEX floor_leads_agent ON floor_leads (agent, created_at DESC);

CREATE INDEX floor_leads_login ON floor_leads (agent_role, created_at DESC);

CREATE INDEX floor_leads_results ON floor_leads (desk) WHERE NOT result_taken;

INSERT INTO floor_schema_version (version) VALUES (1);

ALTER TABLE floor_leads ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS agent_own_leads ON floor_leads;

CREATE POLICY agent_own_leads ON floor_leads TO leaddesk_agent
        USING (agent_role = current_user) WITH CHECK (agent_role = current_user);

DROP POLICY IF EXISTS supervisor_every_lead ON floor_leads;

CREATE POLICY supervisor_every_lead ON floor_leads TO leaddesk_supervisor
        USING (true) WITH CHECK (true);

GRANT SELECT ON floor_schema_version TO leaddesk_agent, leaddesk_supervisor;

GRANT SELECT, INSERT, UPDATE ON floor_leads TO leaddesk_agent, leaddesk_supervisor;

GRANT USAGE ON SEQUENCE floor_leads_id_seq TO leaddesk_agent, leaddesk_supervisor;

CREATE OR REPLACE FUNCTION floor_duplicate(
            p_phone TEXT, p_lname_key TEXT, p_since DOUBLE PRECISION, p_desk TEXT)
        RETURNS TABLE (floor_id BIGINT, desk TEXT, agent TEXT, state TEXT)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            SELECT id, desk, agent, state FROM public.floor_leads
            WHERE phone1 = p_phone AND lname_key = p_lname_key AND created_at >= p_since
              AND state <> 'rejected' AND desk <> p_desk
            ORDER BY created_at DESC LIMIT 1
        $$;

REVOKE ALL ON FUNCTION floor_duplicate(TEXT, TEXT, DOUBLE PRECISION, TEXT) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION floor_duplicate(TEXT, TEXT, DOUBLE PRECISION, TEXT)
        TO leaddesk_agent, leaddesk_supervisor;

COMMIT;
