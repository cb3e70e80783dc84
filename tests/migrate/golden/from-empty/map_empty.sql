-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "User" (
    "" INTEGER NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("")
);
