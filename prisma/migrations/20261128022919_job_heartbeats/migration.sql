-- AlterTable
ALTER TABLE "ImportProgress" ADD COLUMN     "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "owner" TEXT NOT NULL DEFAULT current_setting('application_name'::text);

-- AlterTable
ALTER TABLE "JobRun" ADD COLUMN     "queueJobId" TEXT,
ADD COLUMN     "worker" TEXT;

-- CreateIndex
CREATE INDEX "JobRun_status_idx" ON "JobRun"("status");

