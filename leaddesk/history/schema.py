"""The history database's schema, as one list of statements per version step.

`PRAGMA user_version` holds the version a database is at; step N takes it from N to N+1.
Never edit a step that has shipped: add the next one.
"""

SCHEMA_VERSION = 9

MIGRATIONS: dict[int, tuple[str, ...]] = {
    0: (
        """CREATE TABLE leads (
            id INTEGER PRIMARY KEY,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            state TEXT NOT NULL,
            destination TEXT NOT NULL,
            fields TEXT NOT NULL,          -- the 30 fields as sent, JSON
            unique_id TEXT NOT NULL,       -- lead_company_unique_id, kept for every resend
            fname TEXT NOT NULL,
            lname TEXT NOT NULL,
            phone1 TEXT NOT NULL,
            email TEXT NOT NULL,
            lname_key TEXT NOT NULL,       -- folded last name (name_key), duplicates and sorting
            customer_id TEXT NOT NULL DEFAULT '',
            errors TEXT NOT NULL DEFAULT '[]',
            tries INTEGER NOT NULL DEFAULT 0,
            due_at REAL,
            claimed_by TEXT,
            claimed_at REAL
        )""",
        """CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            started_at REAL NOT NULL,
            destination TEXT NOT NULL,
            request TEXT NOT NULL,
            status INTEGER,
            reply TEXT NOT NULL,
            elapsed REAL NOT NULL
        )""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
            post_id INTEGER NOT NULL REFERENCES posts(id),
            outcome TEXT NOT NULL,
            customer_id TEXT NOT NULL,
            errors TEXT NOT NULL
        )""",
        "CREATE INDEX leads_due ON leads(state, due_at)",
        "CREATE INDEX leads_duplicate ON leads(phone1, lname_key, created_at)",
        "CREATE INDEX leads_created ON leads(created_at)",
        "CREATE INDEX attempts_lead ON attempts(lead_id)",
        "CREATE INDEX attempts_post ON attempts(post_id)",
    ),
    1: (
        # The history pane: totals of accepted prices, and every filter served by an index.
        "ALTER TABLE leads ADD COLUMN price_cents INTEGER NOT NULL DEFAULT 0",
        """UPDATE leads SET price_cents = CAST(ROUND(100 * CAST(
            COALESCE(NULLIF(json_extract(fields, '$.lead_purchase_price'), ''), '0') AS REAL
        )) AS INTEGER)""",
        "CREATE INDEX leads_state_id ON leads(state, id)",
    ),
    2: (
        # Which configured destination (by name) each lead went to.
        "ALTER TABLE leads ADD COLUMN destination_name TEXT NOT NULL DEFAULT ''",
        # Totals per state (and of accepted prices) from an index alone.
        "CREATE INDEX leads_state_price ON leads(state, price_cents)",
        # The history's search: a trigram index finds any substring of 3 or more characters
        # without reading the whole table; triggers keep it in step with the leads.
        """CREATE VIRTUAL TABLE leads_search USING fts5(
            name, email, customer_id, unique_id, phone1, tokenize = 'trigram'
        )""",
        """INSERT INTO leads_search (rowid, name, email, customer_id, unique_id, phone1)
            SELECT id, fname || ' ' || lname, email, customer_id, unique_id, phone1 FROM leads""",
        """CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
            INSERT INTO leads_search (rowid, name, email, customer_id, unique_id, phone1)
            VALUES (new.id, new.fname || ' ' || new.lname, new.email, new.customer_id,
                    new.unique_id, new.phone1);
        END""",
        """CREATE TRIGGER leads_search_update
            AFTER UPDATE OF fname, lname, email, customer_id, unique_id, phone1 ON leads BEGIN
            DELETE FROM leads_search WHERE rowid = old.id;
            INSERT INTO leads_search (rowid, name, email, customer_id, unique_id, phone1)
            VALUES (new.id, new.fname || ' ' || new.lname, new.email, new.customer_id,
                    new.unique_id, new.phone1);
        END""",
        """CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
            DELETE FROM leads_search WHERE rowid = old.id;
        END""",
    ),
    3: (
        # Names by their words, accents folded away: an agent who types "nunez" finds
        # Núñez. (The trigram index matches accents as typed; SQLite before 3.45 cannot
        # fold them there.)
        """CREATE VIRTUAL TABLE leads_words USING fts5(
            name, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        """INSERT INTO leads_words (rowid, name) SELECT id, fname || ' ' || lname FROM leads""",
        """CREATE TRIGGER leads_words_insert AFTER INSERT ON leads BEGIN
            INSERT INTO leads_words (rowid, name) VALUES (new.id, new.fname || ' ' || new.lname);
        END""",
        """CREATE TRIGGER leads_words_update AFTER UPDATE OF fname, lname ON leads BEGIN
            DELETE FROM leads_words WHERE rowid = old.id;
            INSERT INTO leads_words (rowid, name) VALUES (new.id, new.fname || ' ' || new.lname);
        END""",
        """CREATE TRIGGER leads_words_delete AFTER DELETE ON leads BEGIN
            DELETE FROM leads_words WHERE rowid = old.id;
        END""",
    ),
    4: (
        # The history sorted by a column reads its pages from an index, alone and with the
        # Accepted filter (one state): without them each page of 200 sorted every lead,
        # a frozen window per page as the agent scrolled (bench/history_pane.py). (The
        # filters of several states sort only their few thousand leads; the phone's index
        # is leads_duplicate.) They follow history_query's _ORDER_BY.
        "CREATE INDEX leads_name_order ON leads(lname_key, fname)",
        "CREATE INDEX leads_state_name_order ON leads(state, lname_key, fname)",
        "CREATE INDEX leads_state_phone_order ON leads(state, phone1)",
        "CREATE INDEX leads_destination_order ON leads(destination_name, destination)",
        """CREATE INDEX leads_state_destination_order
            ON leads(state, destination_name, destination)""",
        "CREATE INDEX leads_customer_order ON leads(length(customer_id), customer_id)",
        """CREATE INDEX leads_state_customer_order
            ON leads(state, length(customer_id), customer_id)""",
        "CREATE INDEX leads_error_order ON leads(errors)",
        "CREATE INDEX leads_state_error_order ON leads(state, errors)",
    ),
    5: (
        # Last names compared and sorted with their accents folded too, not only their
        # case (leaddesk.domain.name_key; the store gives this step the function).
        """UPDATE leads SET lname_key = leaddesk_name_key(lname)
            WHERE lname_key IS NOT leaddesk_name_key(lname)""",  # few differ: ~5x faster
    ),
    6: (
        # A destination that refused a lead unprocessed (a wrong address, a refused source,
        # an untrusted certificate) holds its other queued leads until a person fixes it,
        # instead of letting each burn its retries on the same refusal.
        """CREATE TABLE holds (
            destination TEXT PRIMARY KEY,  -- the URL leads are queued for
            reason TEXT NOT NULL,          -- the refusal, in words for people
            since REAL NOT NULL            -- unix time of the first refusal
        )""",
    ),
    7: (
        # The wire format each request was made in, so that it can be read back (to cut a
        # purged lead out of it) whatever format later posts use. Every post before this
        # step was SecurityTrax's XML.
        "ALTER TABLE posts ADD COLUMN format TEXT NOT NULL DEFAULT 'securitytrax-xml'",
    ),
    8: (
        # Team mode pushes the leads changed since the floor last saw this desk, oldest
        # change first (history.floor_results.changed_since): without this index each push
        # read the whole history. And the newest change this desk knows the floor has: a
        # lead created after it was never pushed, so no other desk can be resending it
        # (app.local_claims lets a local resend of it go while the floor is offline).
        "CREATE INDEX leads_updated ON leads(updated_at, id)",
        """CREATE TABLE floor_pushed (
            desk TEXT PRIMARY KEY,  -- the floor's name for this desk
            until REAL NOT NULL     -- the newest updated_at the floor is known to have
        )""",
    ),
}
