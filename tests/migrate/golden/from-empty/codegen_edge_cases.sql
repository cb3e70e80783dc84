-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Level" AS ENUM ('LOW', 'medium', 'high', 'NULL');

-- CreateTable
CREATE TABLE "Sample" (
    "id" TEXT NOT NULL,
    "uuid4" UUID NOT NULL,
    "uuid7" UUID,
    "short" TEXT NOT NULL,
    "sortable" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "big" BIGINT NOT NULL DEFAULT 0,
    "ratio" DOUBLE PRECISION NOT NULL DEFAULT 0.5,
    "real" REAL,
    "amount" DECIMAL(30,10) NOT NULL,
    "flag" BOOLEAN,
    "day" DATE NOT NULL,
    "clock" TIME(3),
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changed" TIMESTAMP(3),
    "blob" BYTEA NOT NULL,
    "doc" JSONB,
    "docs" JSONB[],
    "levels" "Level"[] DEFAULT ARRAY['LOW']::"Level"[],
    "Level" "Level" NOT NULL DEFAULT 'medium',
    "numbers" INTEGER[],
    "class" TEXT,
    "delete" INTEGER,
    "errno" INTEGER,
    "geometry" circle,
    "secret" TEXT,

    CONSTRAINT "Sample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Child" (
    "id" SERIAL NOT NULL,
    "sampleId" TEXT,
    "parentId" INTEGER,

    CONSTRAINT "Child_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Grid" (
    "x" INTEGER NOT NULL,
    "y" INTEGER NOT NULL,
    "childId" INTEGER,
    "label" TEXT,

    CONSTRAINT "Grid_pkey" PRIMARY KEY ("x","y")
);

-- CreateTable
CREATE TABLE "Cell" (
    "id" SERIAL NOT NULL,
    "gridX" INTEGER NOT NULL,
    "gridY" INTEGER NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Cell_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Legacy" (
    "id" INTEGER NOT NULL,
    "shape" polygon NOT NULL,

    CONSTRAINT "Legacy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_Friends" (
    "A" INTEGER NOT NULL,
    "B" INTEGER NOT NULL,

    CONSTRAINT "_Friends_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "Sample_uuid4_key" ON "Sample"("uuid4");

-- CreateIndex
CREATE UNIQUE INDEX "Grid_label_childId_key" ON "Grid"("label", "childId");

-- CreateIndex
CREATE INDEX "_Friends_B_index" ON "_Friends"("B");

-- AddForeignKey
ALTER TABLE "Child" ADD CONSTRAINT "Child_sampleId_fkey" FOREIGN KEY ("sampleId") REFERENCES "Sample"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Child" ADD CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Child"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grid" ADD CONSTRAINT "Grid_childId_fkey" FOREIGN KEY ("childId") REFERENCES "Child"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cell" ADD CONSTRAINT "Cell_gridX_gridY_fkey" FOREIGN KEY ("gridX", "gridY") REFERENCES "Grid"("x", "y") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_Friends" ADD CONSTRAINT "_Friends_A_fkey" FOREIGN KEY ("A") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_Friends" ADD CONSTRAINT "_Friends_B_fkey" FOREIGN KEY ("B") REFERENCES "Child"("id") ON DELETE CASCADE ON UPDATE CASCADE;
