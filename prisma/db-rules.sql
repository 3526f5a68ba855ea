-- Rules the Prisma schema cannot express. Kept here as the source of truth, copied into the migration that
-- introduced them, and applied by tests/migrations.test.ts to the schema-built database so drift is still exact.
-- Prisma's migration runner splits scripts at every semicolon, even inside quotes: the function body spells
-- its semicolons as the escape \073 inside an E'' string.

-- Contract events are an append-only audit trail: no UPDATE, no DELETE, no TRUNCATE, whoever asks.
CREATE OR REPLACE FUNCTION contract_event_append_only() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''contract events are append-only (% refused)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END\073';
CREATE TRIGGER contract_event_append_only BEFORE UPDATE OR DELETE ON "ContractEvent"
  FOR EACH ROW EXECUTE FUNCTION contract_event_append_only();
CREATE TRIGGER contract_event_no_truncate BEFORE TRUNCATE ON "ContractEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION contract_event_append_only();

-- A hedge designation is dated and immutable once recorded (ASC 815 / IFRS 9 documentation): no UPDATE, no DELETE.
CREATE OR REPLACE FUNCTION hedge_designation_immutable() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''hedge designations are immutable (% refused)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END\073';
CREATE TRIGGER hedge_designation_immutable BEFORE UPDATE OR DELETE ON "HedgeDesignation"
  FOR EACH ROW EXECUTE FUNCTION hedge_designation_immutable();
CREATE TRIGGER hedge_designation_month_immutable BEFORE UPDATE OR DELETE ON "HedgeDesignationMonth"
  FOR EACH ROW EXECUTE FUNCTION hedge_designation_immutable();
