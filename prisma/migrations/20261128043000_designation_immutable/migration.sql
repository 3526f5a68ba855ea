-- A hedge designation is dated and immutable once recorded (prisma/db-rules.sql is the source of truth).
-- The function body spells its semicolons as \073: Prisma's runner splits scripts at every semicolon.
CREATE OR REPLACE FUNCTION hedge_designation_immutable() RETURNS trigger LANGUAGE plpgsql AS E'BEGIN RAISE EXCEPTION ''hedge designations are immutable (% refused)'', TG_OP USING ERRCODE = ''insufficient_privilege''\073 END\073';
CREATE TRIGGER hedge_designation_immutable BEFORE UPDATE OR DELETE ON "HedgeDesignation"
  FOR EACH ROW EXECUTE FUNCTION hedge_designation_immutable();
CREATE TRIGGER hedge_designation_month_immutable BEFORE UPDATE OR DELETE ON "HedgeDesignationMonth"
  FOR EACH ROW EXECUTE FUNCTION hedge_designation_immutable();
