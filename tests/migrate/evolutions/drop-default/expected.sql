-- AlterTable
ALTER TABLE "User" ALTER COLUMN "createdAt" DROP DEFAULT;
