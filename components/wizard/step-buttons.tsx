import { useTranslations } from "next-intl";
import { primaryButton, secondaryButton } from "@/components/ui/form-styles";

export function StepButtons({ saving, onBack }: { saving: boolean; onBack?: () => void }) {
  const t = useTranslations("setup.nav");
  return (
    <div className="mt-6 flex gap-3">
      {onBack && (
        <button type="button" className={secondaryButton} onClick={onBack} disabled={saving}>
          {t("back")}
        </button>
      )}
      <button type="submit" className={primaryButton} disabled={saving}>
        {saving ? t("saving") : t("next")}
      </button>
    </div>
  );
}
