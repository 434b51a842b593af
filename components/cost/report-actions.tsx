import { PrintButton } from "./print-button";
import { buttonClass } from "@/components/ui/button";

/**
 * The cost pages' header actions: the report as a CSV download (when there is one to download),
 * other downloads beside it (the FinOps FOCUS export), and print.
 */
export function ReportActions({
  exportHref,
  exportLabel,
  printLabel,
  otherExports = [],
}: {
  exportHref: string | null;
  exportLabel: string;
  printLabel: string;
  otherExports?: Array<{ href: string; label: string; title: string }>;
}) {
  return (
    <div className="flex items-center gap-2 print:hidden">
      {exportHref && (
        <a href={exportHref} download className={buttonClass("compact")}>
          {exportLabel}
        </a>
      )}
      {exportHref &&
        otherExports.map((link) => (
          <a key={link.href} href={link.href} download title={link.title} className={buttonClass("compact")}>
            {link.label}
          </a>
        ))}
      <PrintButton label={printLabel} />
    </div>
  );
}
