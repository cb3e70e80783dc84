-- AlterTable
ALTER TABLE "User" DROP COLUMN "bio",
ADD COLUMN     "biography" TEXT;
