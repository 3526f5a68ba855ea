-- CreateEnum
CREATE TYPE "ApiTokenScope" AS ENUM ('READ', 'INGEST', 'ADMIN');

-- AlterTable: tokens made before scopes could import and read (what INGEST allows), new ones default to READ
ALTER TABLE "ApiToken" ADD COLUMN "scope" "ApiTokenScope" NOT NULL DEFAULT 'INGEST';
ALTER TABLE "ApiToken" ALTER COLUMN "scope" SET DEFAULT 'READ';
