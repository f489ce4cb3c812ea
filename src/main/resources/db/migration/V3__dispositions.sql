-- How agents filed their calls: one disposition per attempt, written in the same transaction as
-- the lead's change (and the DNC entry of a do-not-call), with its audit row.
CREATE TABLE disposition (
  campaign        VARCHAR(32)              NOT NULL,
  attempt_no      BIGINT                   NOT NULL,
  lead_id         BIGINT                   NOT NULL REFERENCES lead (id),
  agent_id        VARCHAR(64)              NOT NULL,
  code            VARCHAR(16)              NOT NULL,
  callback_at     TIMESTAMP WITH TIME ZONE,
  callback_agent  VARCHAR(64),
  filed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (campaign, attempt_no),
  FOREIGN KEY (campaign, attempt_no) REFERENCES attempt (campaign, attempt_no)
);
CREATE INDEX disposition_agent ON disposition (agent_id);
