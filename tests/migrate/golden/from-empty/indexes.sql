-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Article" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "tags" TEXT[],
    "data" JSONB NOT NULL,
    "published" TIMESTAMP(3) NOT NULL,
    "score" INTEGER NOT NULL,

    CONSTRAINT "article_pk" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pair" (
    "left" INTEGER NOT NULL,
    "right" INTEGER NOT NULL,

    CONSTRAINT "pair_pk" PRIMARY KEY ("left","right")
);

-- CreateIndex
CREATE UNIQUE INDEX "article_slug_key" ON "Article"("slug" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Article_title_key" ON "Article"("title");

-- CreateIndex
CREATE INDEX "Article_published_score_idx" ON "Article"("published" DESC, "score");

-- CreateIndex
CREATE INDEX "article_title_prefix" ON "Article"("title");

-- CreateIndex
CREATE INDEX "Article_slug_idx" ON "Article" USING HASH ("slug");

-- CreateIndex
CREATE INDEX "Article_tags_idx" ON "Article" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "Article_data_idx" ON "Article" USING GIN ("data" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Article_published_idx" ON "Article" USING BRIN ("published");

-- CreateIndex
CREATE INDEX "Article_body_idx" ON "Article" USING SPGIST ("body");

-- CreateIndex
CREATE INDEX "legacy_name_for_map" ON "Article"("score");

-- CreateIndex
CREATE UNIQUE INDEX "article_title_published_key" ON "Article"("title", "published");

-- CreateIndex
CREATE INDEX "Pair_right_idx" ON "Pair"("right" DESC);
