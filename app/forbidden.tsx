import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** What forbidden() renders (HTTP 403): a page or server action needs a higher role than the user's. */
export default async function Forbidden() {
  const t = await getTranslations("common");
  return (
    <div role="alert" className="mx-auto mt-24 max-w-md text-center">
      <h1 className="text-lg font-semibold">{t("forbiddenTitle")}</h1>
      <p className="mt-2">{t("forbidden")}</p>
      <Link href="/" className="mt-4 inline-block text-orange-600 underline">
        ask-ci
      </Link>
    </div>
  );
}
