import { PrintButton } from "./print-button";
import { buttonClass } from "@/components/ui/button";

/** The cost pages' header actions: the report as a CSV download (when there is one to download) and print. */
export function ReportActions({
  exportHref,
  exportLabel,
  printLabel,
}: {
  exportHref: string | null;
  exportLabel: string;
  printLabel: string;
}) {
  return (
    <div className="flex items-center gap-2 print:hidden">
      {exportHref && (
        <a href={exportHref} download className={buttonClass("compact")}>
          {exportLabel}
        </a>
      )}
      <PrintButton label={printLabel} />
    </div>
  );
}
