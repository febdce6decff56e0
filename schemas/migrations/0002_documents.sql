-- porchlight store, schema version 2: FOIA documents, e-mails, personal-data spans.
-- See docs/data-model.md ("Documents and messages") and docs/documents.md.

-- A document that could not be read is kept with its reason: the release it came in says
-- what it held, even where porchlight could not read it.
ALTER TABLE documents ADD COLUMN status TEXT NOT NULL DEFAULT 'ok'
    CHECK (status = 'ok' OR status = 'failed');
ALTER TABLE documents ADD COLUMN error TEXT;            -- why it failed
ALTER TABLE documents ADD COLUMN size INTEGER;          -- bytes
ALTER TABLE documents ADD COLUMN date TEXT;             -- the document's own date, when it has one
ALTER TABLE documents ADD COLUMN warnings TEXT;         -- JSON array of parse warnings
CREATE INDEX documents_parent ON documents(parent_id);

-- The parts of an e-mail this schema did not keep; the body is kept with the message so
-- a printed e-mail (a part of a PDF page) has its own text too.
ALTER TABLE email_messages ADD COLUMN bcc_addrs TEXT;
ALTER TABLE email_messages ADD COLUMN in_reply_to TEXT;
ALTER TABLE email_messages ADD COLUMN date_raw TEXT;    -- the date as written
ALTER TABLE email_messages ADD COLUMN sent_local TEXT;  -- 'YYYY-MM-DDTHH:MM:SS' as printed, when
                                                        -- the zone is unknown (or given)
ALTER TABLE email_messages ADD COLUMN body TEXT;
ALTER TABLE email_messages ADD COLUMN class_rules TEXT; -- sha256 of the rules file that set class
CREATE INDEX email_messages_sent ON email_messages(sent_utc);

-- Where each e-mail was found: a document and the pages it spans there. The same e-mail in
-- two releases has two rows here (and two pieces of evidence).
CREATE TABLE message_documents (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES email_messages(id) DEFERRABLE INITIALLY DEFERRED,
    document_id INTEGER NOT NULL REFERENCES documents(id) DEFERRABLE INITIALLY DEFERRED,
    first_page  INTEGER NOT NULL,
    last_page   INTEGER NOT NULL,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (document_id, first_page, message_id)
);
CREATE INDEX message_documents_message ON message_documents(message_id);

-- Personal data found in a page's text (e-mail addresses, phone numbers, street
-- addresses): byte spans, so search, exports and maps can mask them.
CREATE TABLE personal_data (
    id      INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id) DEFERRABLE INITIALLY DEFERRED,
    begin   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    kind    TEXT NOT NULL CHECK (kind = 'email' OR kind = 'phone' OR kind = 'street_address')
);
CREATE INDEX personal_data_page ON personal_data(page_id);

-- One row per e-mail: who, when (UTC and the sender's offset, or the local time as
-- printed), what, its class, and where it was found.
CREATE VIEW messages AS
SELECT m.id, m.sent_utc, m.sent_offset, m.sent_local, m.from_addr, m.to_addrs, m.cc_addrs,
       m.subject, m.message_id, m.class,
       (SELECT count(*) FROM message_documents md WHERE md.message_id = m.id) AS found_in,
       (SELECT group_concat(DISTINCT d.source_id) FROM message_documents md
          JOIN documents d ON d.id = md.document_id WHERE md.message_id = m.id) AS source_ids,
       (SELECT d.path FROM message_documents md JOIN documents d ON d.id = md.document_id
          WHERE md.message_id = m.id ORDER BY md.id LIMIT 1) AS document,
       (SELECT d.source_id FROM message_documents md JOIN documents d ON d.id = md.document_id
          WHERE md.message_id = m.id ORDER BY md.id LIMIT 1) AS source_id
FROM email_messages m;

-- Every e-mail has evidence too.
DROP VIEW facts_without_evidence;
CREATE VIEW facts_without_evidence AS
SELECT 'agency' AS fact_type, id AS fact_id FROM agencies
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'agency' AND e.fact_id = agencies.id)
UNION ALL
SELECT 'partnership', id FROM partnerships
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'partnership' AND e.fact_id = partnerships.id)
UNION ALL
SELECT 'location', id FROM agencies
 WHERE geocode_provider IS NOT NULL AND geocode_precision <> 'none'
   AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'location' AND e.fact_id = agencies.id)
UNION ALL
SELECT 'video_request', id FROM video_requests
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'video_request' AND e.fact_id = video_requests.id)
UNION ALL
SELECT 'camera', id FROM cameras
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'camera' AND e.fact_id = cameras.id)
UNION ALL
SELECT 'message', id FROM email_messages
 WHERE NOT EXISTS (SELECT 1 FROM evidence e WHERE e.fact_type = 'message' AND e.fact_id = email_messages.id);
