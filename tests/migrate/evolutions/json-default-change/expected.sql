-- AlterTable
ALTER TABLE "User" ALTER COLUMN "settings" SET DEFAULT '{"theme": "dark"}';
