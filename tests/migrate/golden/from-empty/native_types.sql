-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "NativeTypes" (
    "id" UUID NOT NULL,
    "text" TEXT NOT NULL,
    "char" CHAR(2) NOT NULL,
    "charNoLen" CHAR NOT NULL,
    "varchar" VARCHAR(255) NOT NULL,
    "varcharAny" VARCHAR NOT NULL,
    "bit" BIT(8) NOT NULL,
    "varbit" VARBIT(16) NOT NULL,
    "xml" XML NOT NULL,
    "inet" INET NOT NULL,
    "citext" CITEXT NOT NULL,
    "small" SMALLINT NOT NULL,
    "integer" INTEGER NOT NULL,
    "oid" OID NOT NULL,
    "big" BIGINT NOT NULL,
    "real" REAL NOT NULL,
    "double" DOUBLE PRECISION NOT NULL,
    "decimal" DECIMAL(12,2) NOT NULL,
    "money" MONEY NOT NULL,
    "flag" BOOLEAN NOT NULL,
    "stamp" TIMESTAMP(3) NOT NULL,
    "stampTz" TIMESTAMPTZ(6) NOT NULL,
    "stampPlain" TIMESTAMP NOT NULL,
    "day" DATE NOT NULL,
    "time" TIME(0) NOT NULL,
    "timeTz" TIMETZ(2) NOT NULL,
    "json" JSON NOT NULL,
    "jsonb" JSONB NOT NULL,
    "bytes" BYTEA NOT NULL,

    CONSTRAINT "NativeTypes_pkey" PRIMARY KEY ("id")
);
