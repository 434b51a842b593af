"use client";

import { compactButton } from "@/components/ui/form-styles";

export function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => window.print()} className={`${compactButton} print:hidden`}>
      {label}
    </button>
  );
}
