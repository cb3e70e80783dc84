-- AlterTable
CREATE SEQUENCE counter_id_seq;
ALTER TABLE "Counter" ALTER COLUMN "id" SET DEFAULT nextval('counter_id_seq');
ALTER SEQUENCE counter_id_seq OWNED BY "Counter"."id";
