-- AlterTable
ALTER TABLE "User" DROP COLUMN "tags",
ADD COLUMN     "tags" TEXT[];
