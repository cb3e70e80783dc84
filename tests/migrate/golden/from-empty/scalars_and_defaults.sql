-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "mood" AS ENUM ('HAPPY', 'sad', 'ANGRY');

-- CreateTable
CREATE TABLE "everything" (
    "id" SERIAL NOT NULL,
    "big" BIGINT NOT NULL DEFAULT 9007199254740993,
    "small" INTEGER NOT NULL DEFAULT -42,
    "ratio" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "price" DECIMAL(65,30) NOT NULL DEFAULT 12.34,
    "flag" BOOLEAN NOT NULL DEFAULT true,
    "off" BOOLEAN NOT NULL DEFAULT false,
    "name" TEXT NOT NULL DEFAULT 'it''s "quoted" \ and é',
    "nothing" TEXT,
    "born" TIMESTAMP(3) NOT NULL DEFAULT '2024-01-31 12:00:00 +00:00',
    "stamped" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changed" TIMESTAMP(3) NOT NULL,
    "meta" JSONB NOT NULL DEFAULT '{"a": [1, 2, {"b": null}]}',
    "metaMaybe" JSONB,
    "blob" BYTEA NOT NULL DEFAULT '\x68656c6c6f',
    "mood" "mood" NOT NULL DEFAULT 'sad',
    "moods" "mood"[] DEFAULT ARRAY['HAPPY', 'sad']::"mood"[],
    "tags" TEXT[] DEFAULT ARRAY['a', 'b']::TEXT[],
    "scores" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "uuid4" TEXT NOT NULL,
    "uuid7" TEXT NOT NULL,
    "cuid1" TEXT NOT NULL,
    "cuid2" TEXT NOT NULL,
    "nano" TEXT NOT NULL,
    "nano12" TEXT NOT NULL,
    "ulidValue" TEXT NOT NULL,
    "generated" TEXT NOT NULL DEFAULT md5(random()::text),
    "viaDb" INTEGER NOT NULL,
    "shape" circle,
    "place" point NOT NULL DEFAULT point(0, 0),
    "hidden" TEXT,
    "renamed_column" TEXT NOT NULL,

    CONSTRAINT "everything_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Legacy" (
    "code" TEXT NOT NULL,
    "note" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "Legacy_code_key" ON "Legacy"("code");
