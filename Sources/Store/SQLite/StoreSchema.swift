import GRDB
import LeanPulseCore

/// The store's schema, as named migrations. Documented for analysts in docs/STORE.md.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-canonical-tables") { db in
            try db.execute(sql: """
                CREATE TABLE imports (
                    id INTEGER PRIMARY KEY,
                    source_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('survey', 'ideas', 'goals')),
                    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
                    imported_at TEXT NOT NULL,
                    rows_read INTEGER NOT NULL CHECK (rows_read >= 0),
                    rows_accepted INTEGER NOT NULL CHECK (rows_accepted >= 0),
                    rows_rejected INTEGER NOT NULL CHECK (rows_rejected >= 0),
                    rows_superseded INTEGER NOT NULL CHECK (rows_superseded >= 0),
                    CHECK (rows_read = rows_accepted + rows_rejected + rows_superseded)
                ) STRICT;
                CREATE INDEX imports_by_source ON imports(source_id, id);

                CREATE TABLE import_files (
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    bytes INTEGER NOT NULL,
                    rows_read INTEGER NOT NULL,
                    rows_accepted INTEGER NOT NULL,
                    rows_rejected INTEGER NOT NULL,
                    rows_superseded INTEGER NOT NULL,
                    PRIMARY KEY (import_id, path)
                ) STRICT;

                -- The instrument's items as they were when an import was made: answers are stored by position.
                CREATE TABLE import_items (
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL CHECK (position >= 0),
                    item_id TEXT NOT NULL,
                    text_sha256 TEXT NOT NULL,
                    PRIMARY KEY (import_id, position)
                ) STRICT;

                CREATE TABLE responses (
                    id INTEGER PRIMARY KEY,
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
                    team_id TEXT NOT NULL,
                    respondent_key TEXT CHECK (respondent_key IS NULL OR length(respondent_key) = 64),
                    submitted INTEGER,
                    answers TEXT NOT NULL CHECK (json_valid(answers)),
                    comment TEXT,
                    source_line INTEGER NOT NULL
                ) STRICT;
                CREATE UNIQUE INDEX responses_one_per_respondent ON responses(import_id, period, respondent_key)
                    WHERE respondent_key IS NOT NULL;
                CREATE INDEX responses_by_period ON responses(period, source_id);

                CREATE TABLE ideas (
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    idea_id TEXT NOT NULL,
                    team_id TEXT NOT NULL,
                    submitted_day INTEGER NOT NULL,
                    implemented_day INTEGER CHECK (implemented_day IS NULL OR implemented_day >= submitted_day),
                    rejected_day INTEGER CHECK (rejected_day IS NULL OR rejected_day >= submitted_day),
                    status TEXT,
                    submitter_key TEXT CHECK (submitter_key IS NULL OR length(submitter_key) = 64),
                    CHECK (implemented_day IS NULL OR rejected_day IS NULL)
                ) STRICT;
                CREATE INDEX ideas_by_source ON ideas(source_id);

                CREATE TABLE goals (
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    goal_id TEXT,
                    team_id TEXT NOT NULL,
                    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
                    target REAL,
                    actual REAL,
                    score REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1))
                ) STRICT;
                CREATE INDEX goals_by_period ON goals(period, source_id);

                CREATE TABLE findings (
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    file TEXT NOT NULL,
                    line INTEGER NOT NULL,
                    "column" INTEGER NOT NULL,
                    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error')),
                    code TEXT NOT NULL,
                    message TEXT NOT NULL
                ) STRICT;
                CREATE INDEX findings_by_import ON findings(import_id);

                -- The organisation as it was for each reported period (units and their own headcount).
                CREATE TABLE org_units (
                    period TEXT NOT NULL,
                    team_id TEXT NOT NULL,
                    parent_id TEXT,
                    name TEXT NOT NULL,
                    headcount INTEGER CHECK (headcount IS NULL OR headcount >= 0),
                    PRIMARY KEY (period, team_id)
                ) STRICT, WITHOUT ROWID;

                CREATE VIEW import_summary AS
                    SELECT source_id, id AS import_id, imported_at, content_sha256, rows_read, rows_accepted,
                           rows_rejected, rows_superseded
                    FROM imports ORDER BY source_id, id;
                """)
            try db.execute(sql: surveyAnswersView + ";" + ideasDatedView)
        }
        migrator.registerMigration("v2-idea-blocks") { db in
            // Ideas in blocks (IdeaBlocks.swift, DECISIONS "Ideas stored in blocks"); `ideas` becomes a view of the same columns.
            try db.execute(sql: """
                CREATE TABLE idea_blocks (
                    id INTEGER PRIMARY KEY,
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    ideas INTEGER NOT NULL CHECK (ideas > 0),
                    rows TEXT NOT NULL CHECK (json_valid(rows))
                ) STRICT;
                CREATE INDEX idea_blocks_by_source ON idea_blocks(source_id, import_id);
                """)
            // Existing ideas move into blocks, in their order.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT import_id, source_id, idea_id, team_id, submitted_day, implemented_day, rejected_day, status, submitter_key
                FROM ideas ORDER BY rowid
                """)
            var encoder = IdeaBlock.Encoder()
            var owner: (Int64, String)?
            let insert = try db.makeStatement(sql: "INSERT INTO idea_blocks (import_id, source_id, ideas, rows) VALUES (?, ?, ?, ?)")
            func flush() throws {
                guard let (importId, sourceId) = owner, encoder.count > 0 else { return }
                let count = encoder.count
                try insert.execute(arguments: [importId, sourceId, count, String(decoding: encoder.finish(), as: UTF8.self)])
                encoder.reset()
            }
            while let r = try rows.next() {
                let key: (Int64, String) = (r[0], r[1])
                if let o = owner, o != key || encoder.count >= IdeaBlock.capacity { try flush() }
                owner = key
                let implemented: Int32? = r[5], rejected: Int32? = r[6]
                let idea = IdeaColumns(capacity: 1)
                idea.append(Idea(id: r[2], teamId: r[3], submitted: Day(ordinal: r[4]), implemented: implemented.map(Day.init(ordinal:)),
                                 rejected: rejected.map(Day.init(ordinal:)), status: r[7], submitterKey: r[8]))
                encoder.append(idea.row(0))
            }
            try flush()
            try db.execute(sql: """
                DROP VIEW ideas_dated;
                DROP TABLE ideas;
                """)
            try db.execute(sql: ideasView + ";" + ideasDatedView)
        }
        migrator.registerMigration("v3-no-respondent-index") { db in
            // One response per respondent and period of an import is kept by ImportWriter (DECISIONS 22): the unique
            // index over 64-character pseudonyms, filled in random order, was most of the cost of storing responses.
            try db.execute(sql: "DROP INDEX responses_one_per_respondent")
        }
        migrator.registerMigration("v4-json-checked-by-writer") { db in
            // `responses.answers` and `idea_blocks.rows` are written only by ImportWriter, which builds their JSON
            // itself (tested against SQLite's json_valid and an independent parser); SQLite parsing every value again
            // in a CHECK was a quarter of the instructions of storing responses (DECISIONS 28). The tables are rebuilt
            // without that CHECK (SQLite cannot drop one in place); rows, ids, indexes and views stay as they were.
            try db.execute(sql: """
                DROP VIEW survey_answers;
                DROP VIEW ideas_dated;
                DROP VIEW ideas;

                CREATE TABLE responses_v4 (
                    id INTEGER PRIMARY KEY,
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
                    team_id TEXT NOT NULL,
                    respondent_key TEXT CHECK (respondent_key IS NULL OR length(respondent_key) = 64),
                    submitted INTEGER,
                    answers TEXT NOT NULL,
                    comment TEXT,
                    source_line INTEGER NOT NULL
                ) STRICT;
                INSERT INTO responses_v4 SELECT id, import_id, source_id, period, team_id, respondent_key, submitted, answers,
                                                comment, source_line FROM responses;
                DROP TABLE responses;
                ALTER TABLE responses_v4 RENAME TO responses;
                CREATE INDEX responses_by_period ON responses(period, source_id);

                CREATE TABLE idea_blocks_v4 (
                    id INTEGER PRIMARY KEY,
                    import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
                    source_id TEXT NOT NULL,
                    ideas INTEGER NOT NULL CHECK (ideas > 0),
                    rows TEXT NOT NULL
                ) STRICT;
                INSERT INTO idea_blocks_v4 SELECT id, import_id, source_id, ideas, rows FROM idea_blocks;
                DROP TABLE idea_blocks;
                ALTER TABLE idea_blocks_v4 RENAME TO idea_blocks;
                CREATE INDEX idea_blocks_by_source ON idea_blocks(source_id, import_id);
                """)
            try db.execute(sql: surveyAnswersView + ";" + ideasView + ";" + ideasDatedView)
        }
        migrator.registerMigration("v5-item-scoring-and-pipeline") { db in
            // What an analyst needs to score answers in SQL as the report does (METRICS.md 1), per import: the scale,
            // the reverse flag, the favorable and unfavorable sets (of scored values) and the factor naming the item;
            // and which pipeline file made each import. Older imports keep NULL there (their instrument is not known).
            try db.execute(sql: """
                ALTER TABLE imports ADD COLUMN pipeline TEXT;
                ALTER TABLE import_items ADD COLUMN factor_id TEXT;
                ALTER TABLE import_items ADD COLUMN scale_min INTEGER;
                ALTER TABLE import_items ADD COLUMN scale_max INTEGER;
                ALTER TABLE import_items ADD COLUMN reverse INTEGER CHECK (reverse IS NULL OR reverse IN (0, 1));
                ALTER TABLE import_items ADD COLUMN favorable TEXT;
                ALTER TABLE import_items ADD COLUMN unfavorable TEXT;
                """)
            try db.execute(sql: surveyScoresView + ";" + latestFindingsView)
        }
        migrator.registerMigration("v6-reported-respondents") { db in
            // Each unit's respondents (its subtree) as the period's own report counted them: a later report compares
            // its redrawn figures with what was published, not with the store's rows of today, which a re-import under
            // a changed organisation file may have thinned (DECISIONS 38, session 15). NULL for periods reported before.
            try db.execute(sql: "ALTER TABLE org_units ADD COLUMN respondents INTEGER CHECK (respondents IS NULL OR respondents >= 0)")
        }
        migrator.registerMigration("v7-reported-hidden-figures") { db in
            // The figures the period's own report withheld in each unit it showed (factor ids and `#enps`, comma-
            // separated; empty: none): a later report must not redraw one of them for the same people (session 16's
            // audit: a reorganisation changed which sibling's eNPS the per-figure rule hid, and the trend showed the
            // other). NULL for periods reported before.
            try db.execute(sql: "ALTER TABLE org_units ADD COLUMN hidden_figures TEXT")
        }
        return migrator
    }

    // Views for analysts (docs/STORE.md), created by the migrations that change the tables below them.

    /// One row per answer.
    static let surveyAnswersView = """
        CREATE VIEW survey_answers AS
            SELECT r.id AS response_id, r.period, r.team_id, r.source_id, i.item_id,
                   json_extract(r.answers, '$[' || i.position || ']') AS value
            FROM responses r JOIN import_items i ON i.import_id = r.import_id
            WHERE json_extract(r.answers, '$[' || i.position || ']') IS NOT NULL
        """

    /// One row per answer, scored as the report scores it (METRICS.md 1): `score` after reverse scoring, `normalized`
    /// 0-100, and whether it is favorable or unfavorable. NULL scoring columns: an import made before the store kept its
    /// instrument's scales (migration v5).
    static let surveyScoresView = """
        CREATE VIEW survey_scores AS
            SELECT s.response_id, s.period, s.team_id, s.source_id, s.item_id, s.factor_id, s.value, s.score,
                   100.0 * (s.score - s.scale_min) / nullif(s.scale_max - s.scale_min, 0) AS normalized,
                   CASE WHEN s.score IS NOT NULL AND s.favorable IS NOT NULL
                        THEN EXISTS (SELECT 1 FROM json_each(s.favorable) WHERE json_each.value = s.score) END AS favorable,
                   CASE WHEN s.score IS NOT NULL AND s.unfavorable IS NOT NULL
                        THEN EXISTS (SELECT 1 FROM json_each(s.unfavorable) WHERE json_each.value = s.score) END AS unfavorable
            FROM (SELECT a.*, CASE a.reverse WHEN 1 THEN a.scale_min + a.scale_max - a.value WHEN 0 THEN a.value END AS score
                  FROM (SELECT r.id AS response_id, r.period, r.team_id, r.source_id, i.item_id, i.factor_id, i.scale_min,
                               i.scale_max, i.reverse, i.favorable, i.unfavorable,
                               json_extract(r.answers, '$[' || i.position || ']') AS value
                        FROM responses r JOIN import_items i ON i.import_id = r.import_id) a
                  WHERE a.value IS NOT NULL) s
        """

    /// The findings of each source's latest import only: `findings` keeps every import's (an audit trail), so a file
    /// read again by a later import of the same source is listed once per import there.
    static let latestFindingsView = """
        CREATE VIEW latest_findings AS
            SELECT f.* FROM findings f
            WHERE f.import_id = (SELECT max(i.id) FROM imports i WHERE i.source_id = f.source_id)
        """

    /// The ideas of `idea_blocks`, one row each, in the columns of the former `ideas` table.
    static let ideasView = """
        CREATE VIEW ideas AS
            SELECT b.import_id, b.source_id,
                   json_extract(j.value, '$[0]') AS idea_id, json_extract(j.value, '$[1]') AS team_id,
                   json_extract(j.value, '$[2]') AS submitted_day, json_extract(j.value, '$[3]') AS implemented_day,
                   json_extract(j.value, '$[4]') AS rejected_day, json_extract(j.value, '$[5]') AS status,
                   json_extract(j.value, '$[6]') AS submitter_key
            FROM idea_blocks b, json_each(b.rows) j
        """

    /// Ideas with ISO dates.
    static let ideasDatedView = """
        CREATE VIEW ideas_dated AS
            SELECT source_id, idea_id, team_id, status,
                   date(submitted_day * 86400, 'unixepoch') AS submitted,
                   date(implemented_day * 86400, 'unixepoch') AS implemented,
                   date(rejected_day * 86400, 'unixepoch') AS rejected
            FROM ideas
        """
}
