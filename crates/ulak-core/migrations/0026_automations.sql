-- Automations (issue 21): "when a CRM event comes, then these actions", the seeds'
-- four as ready-made examples (off until the user turns them on). CRM events enter
-- through `ulak event emit` or the loopback endpoint; each is kept once per workspace
-- (its id, given by the CRM or made from its content), so sending one again runs
-- nothing twice.
CREATE TABLE crm_events (
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    event_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    payload       TEXT NOT NULL CHECK (json_valid(payload)),
    source        TEXT NOT NULL CHECK (source IN ('cli', 'http', 'window')),
    received_at   TEXT NOT NULL,
    PRIMARY KEY (workspace_id, event_id)
);

CREATE TABLE automations (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    event         TEXT NOT NULL,
    -- The actions in order, as JSON (crates/ulak-crm/src/automations.rs `Action`).
    actions       TEXT NOT NULL CHECK (json_valid(actions) AND json_type(actions) = 'array'),
    enabled       INTEGER NOT NULL DEFAULT 0,
    -- Which of the seeds' four it began as (NULL: the user's own).
    seed          TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (workspace_id, name),
    UNIQUE (workspace_id, seed)
);

-- One rule's run for one event: what it queued (message ids, followed in the history)
-- or why not.
CREATE TABLE automation_runs (
    id             INTEGER PRIMARY KEY,
    automation_id  INTEGER NOT NULL REFERENCES automations(id) ON DELETE CASCADE,
    event_id       TEXT NOT NULL,
    ran_at         TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('queued', 'partial', 'failed')),
    -- Per action: {"kind", "ok", "messageIds" | "code"}.
    actions        TEXT NOT NULL CHECK (json_valid(actions)),
    UNIQUE (automation_id, event_id)
);
CREATE INDEX automation_runs_recent ON automation_runs (automation_id, ran_at);
