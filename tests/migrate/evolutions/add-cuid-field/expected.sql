-- AlterTable
ALTER TABLE "User" ADD COLUMN     "publicId" TEXT NOT NULL;
