-- What an operator last asked of each campaign (start, pause, resume, stop over the API or CLI):
-- a controller that restarts (a crash, a deploy) brings back the campaigns it ran and leaves
-- stopped ones stopped. The controller's own shutdown writes nothing here.
CREATE TABLE campaign_state (
  campaign    VARCHAR(32)              PRIMARY KEY,
  state       VARCHAR(16)              NOT NULL,
  changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
