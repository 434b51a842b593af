import type { SettingsDraft } from "@/lib/wizard/secrets";

export interface StepProps {
  draft: SettingsDraft;
  saving: boolean;
  onBack: (patch?: SettingsDraft) => void;
  onNext: (patch: SettingsDraft) => void | Promise<void>;
}
