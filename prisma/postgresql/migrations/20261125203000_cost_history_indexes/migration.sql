-- CreateIndex
CREATE INDEX "JobRecord_cost_by_day_idx" ON "JobRecord"("connectionId", "currency", "day", "projectPath", "billedSeconds", "costMicros");

-- CreateIndex
CREATE INDEX "JobRecord_cost_by_duration_idx" ON "JobRecord"("connectionId", "currency", "billedSeconds", "day");

-- CreateIndex
CREATE INDEX "JobRecord_cost_top_idx" ON "JobRecord"("connectionId", "currency", "costMicros", "finishedAt", "day");

-- CreateIndex
CREATE INDEX "JobRecord_cost_by_spec_idx" ON "JobRecord"("connectionId", "currency", "vcpuMilli", "memoryMiB", "requestedVcpuMilli", "requestedMemoryMiB", "projectPath", "day", "billedSeconds", "costMicros");

