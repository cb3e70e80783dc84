-- AlterTable
ALTER TABLE "User" ALTER COLUMN "token" SET DEFAULT gen_random_uuid();
