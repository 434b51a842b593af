import { useTranslations } from "next-intl";
import { Button } from "@/components/ui/button";

export function StepButtons({ saving, onBack }: { saving: boolean; onBack?: () => void }) {
  const t = useTranslations("setup.nav");
  return (
    <div className="mt-6 flex gap-3">
      {onBack && (
        <Button onClick={onBack} disabled={saving}>
          {t("back")}
        </Button>
      )}
      <Button type="submit" variant="primary" disabled={saving}>
        {saving ? t("saving") : t("next")}
      </Button>
    </div>
  );
}
