import Link from "next/link";
import { getTranslations } from "next-intl/server";

export default async function NotFound() {
  const t = await getTranslations("common");
  return (
    <div className="mx-auto mt-24 max-w-md text-center">
      <p>{t("notFound")}</p>
      <Link href="/" className="mt-4 inline-block text-orange-600 underline">
        ask-ci
      </Link>
    </div>
  );
}
