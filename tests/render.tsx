/**
 * Renders a client component the way the app does: inside next-intl's provider with the real
 * catalogs (and a fresh react-query client). For component tests run under happy-dom
 * (`// @vitest-environment happy-dom` at the top of the test file).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, type RenderResult } from "@testing-library/react";
import { NextIntlClientProvider } from "next-intl";
import type { ReactElement, ReactNode } from "react";
import { loadMessages } from "@/lib/i18n/catalog";
import type { Locale } from "@/lib/i18n/locales";

export function renderWithApp(ui: ReactElement, { locale = "en" as Locale } = {}): RenderResult {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // As a wrapper, so that `rerender` with new props keeps the same providers (and query cache).
  const wrapper = ({ children }: { children: ReactNode }) => (
    <NextIntlClientProvider locale={locale} messages={loadMessages(locale)} timeZone="UTC">
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </NextIntlClientProvider>
  );
  return render(ui, { wrapper });
}

/**
 * happy-dom lays nothing out, so virtualized lists (TanStack Virtual) would render no rows: give
 * every element a size, as a 1280×800 browser would.
 */
export function giveElementsASize(width = 1280, height = 800): () => void {
  const proto = HTMLElement.prototype;
  const sizes: Record<string, number> = {
    offsetWidth: width,
    offsetHeight: height,
    clientWidth: width,
    clientHeight: height,
  };
  const originals = Object.keys(sizes).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)] as const);
  const originalRect = proto.getBoundingClientRect;
  for (const [name, value] of Object.entries(sizes))
    Object.defineProperty(proto, name, { configurable: true, get: () => value });
  proto.getBoundingClientRect = () =>
    ({ x: 0, y: 0, top: 0, left: 0, right: width, bottom: height, width, height, toJSON: () => ({}) }) as DOMRect;
  return () => {
    proto.getBoundingClientRect = originalRect;
    for (const [name, descriptor] of originals) {
      if (descriptor) Object.defineProperty(proto, name, descriptor);
      else delete (proto as unknown as Record<string, unknown>)[name];
    }
  };
}
