-- AlterTable
ALTER TABLE "Membership" RENAME CONSTRAINT "Membership_pkey" TO "membership_pk";
