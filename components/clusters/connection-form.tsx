"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import {
  createConnectionAction,
  testConnectionAction,
  testStoredConnectionAction,
  updateConnectionAction,
  type ActionResult,
} from "@/app/(dashboard)/clusters/actions";
import type { ConnectionDto } from "@/lib/connections/dto";
import { MAX_KUBECONFIG_BYTES, summarizeKubeconfig, utf8Length } from "@/lib/connections/kubeconfig";
import type { ConnectionTestReport } from "@/lib/connections/probe.server";
import type { ConnectionProblem } from "@/lib/connections/problems";
import type { CredentialsInput, FieldErrors } from "@/lib/validations/connection";
import { ProblemAlert } from "./problem-text";
import { TestReport } from "./test-report";
import { Button } from "@/components/ui/button";
import { Field, inputClass, textareaClass } from "@/components/ui/field";

type Method = CredentialsInput["method"];
const METHODS: Method[] = ["kubeconfig", "token", "certificate"];

interface Fields {
  name: string;
  method: Method;
  kubeconfig: string;
  context: string;
  server: string;
  token: string;
  caCertificate: string;
  clientCertificate: string;
  clientKey: string;
  skipTlsVerify: boolean;
  namespace: string;
  makeDefault: boolean;
}

const EMPTY: Fields = {
  name: "",
  method: "kubeconfig",
  kubeconfig: "",
  context: "",
  server: "",
  token: "",
  caCertificate: "",
  clientCertificate: "",
  clientKey: "",
  skipTlsVerify: false,
  namespace: "gitlab-runner",
  makeDefault: false,
};

function credentialsOf(fields: Fields): CredentialsInput {
  const common = { skipTlsVerify: fields.skipTlsVerify };
  switch (fields.method) {
    case "kubeconfig":
      return { method: "kubeconfig", kubeconfig: fields.kubeconfig, context: fields.context || undefined, ...common };
    case "token":
      return {
        method: "token",
        server: fields.server,
        token: fields.token,
        caCertificate: fields.caCertificate,
        ...common,
      };
    case "certificate":
      return {
        method: "certificate",
        server: fields.server,
        clientCertificate: fields.clientCertificate,
        clientKey: fields.clientKey,
        caCertificate: fields.caCertificate,
        ...common,
      };
  }
}

/** Add a connection, or edit one (rename; credentials are replaced, never shown). */
export function ConnectionForm({ connection }: { connection?: ConnectionDto }) {
  const t = useTranslations("clusters");
  const router = useRouter();
  const [fields, setFields] = useState<Fields>({ ...EMPTY, name: connection?.name ?? "" });
  const [replaceCredentials, setReplaceCredentials] = useState(!connection);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ConnectionProblem | null>(null);
  const [report, setReport] = useState<ConnectionTestReport | null>(null);
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"test" | "save" | null>(null);

  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => {
    setFields((previous) => ({ ...previous, [key]: value }));
    setReport(null);
  };

  const summary = useMemo(() => {
    if (
      fields.method !== "kubeconfig" ||
      !fields.kubeconfig.trim() ||
      utf8Length(fields.kubeconfig) > MAX_KUBECONFIG_BYTES
    )
      return null;
    const result = summarizeKubeconfig(fields.kubeconfig);
    return result.ok ? result.value : null;
  }, [fields.method, fields.kubeconfig]);

  /** Checks that need no server: keeps a 5 MB paste from ever being sent. */
  function localErrors(): FieldErrors {
    if (replaceCredentials && fields.method === "kubeconfig" && utf8Length(fields.kubeconfig) > MAX_KUBECONFIG_BYTES) {
      return { kubeconfig: "kubeconfigTooLarge" };
    }
    return {};
  }

  function run<T>(kind: "test" | "save", action: () => Promise<ActionResult<T>>, onSuccess: (value: T) => void) {
    const local = localErrors();
    setFieldErrors(local);
    setProblem(null);
    if (Object.keys(local).length) return;
    setBusy(kind);
    startTransition(async () => {
      let result: ActionResult<T>;
      try {
        result = await action();
      } catch {
        // The action never answered (network, server restart): say so instead of a blank error page.
        setBusy(null);
        setFieldErrors({ form: "requestFailed" });
        return;
      }
      setBusy(null);
      if (result.ok) {
        onSuccess(result.value);
        return;
      }
      setFieldErrors(result.fieldErrors ?? {});
      setProblem(result.problem ?? null);
    });
  }

  const test = () =>
    run(
      "test",
      () =>
        connection && !replaceCredentials
          ? testStoredConnectionAction(connection.id, fields.namespace || undefined)
          : testConnectionAction({ credentials: credentialsOf(fields), namespace: fields.namespace || undefined }),
      (value) => setReport(value),
    );

  const save = () =>
    run(
      "save",
      () =>
        connection
          ? updateConnectionAction(connection.id, {
              name: fields.name,
              ...(replaceCredentials ? { credentials: credentialsOf(fields) } : {}),
            })
          : createConnectionAction({
              name: fields.name,
              credentials: credentialsOf(fields),
              makeDefault: fields.makeDefault,
            }),
      () => {
        router.push("/clusters");
        router.refresh();
      },
    );

  const errorKey = (field: string) => {
    const key = fieldErrors[field];
    if (!key) return undefined;
    return t.has(`validation.${key}`) ? t(`validation.${key}`) : t("validation.invalid");
  };

  async function upload(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_KUBECONFIG_BYTES) {
      setFieldErrors({ kubeconfig: "kubeconfigTooLarge" });
      return;
    }
    set("kubeconfig", await file.text());
    setFieldErrors({});
  }

  return (
    <form
      className="max-w-3xl space-y-5"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <Field name="name" label={t("form.name")} hint={t("form.nameHint")} error={errorKey("name")}>
        <input
          value={fields.name}
          onChange={(event) => set("name", event.target.value)}
          className={inputClass}
          maxLength={200}
        />
      </Field>

      {connection && (
        <fieldset className="space-y-1 text-sm">
          <p className="text-xs text-slate-500">{t("form.credentialsNeverShown")}</p>
          <label className="flex items-center gap-2">
            <input type="radio" checked={!replaceCredentials} onChange={() => setReplaceCredentials(false)} />
            {t("form.keepCredentials")}
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" checked={replaceCredentials} onChange={() => setReplaceCredentials(true)} />
            {t("form.replaceCredentials")}
          </label>
        </fieldset>
      )}

      {replaceCredentials && (
        <>
          <fieldset>
            <legend className="text-sm font-medium">{t("form.method")}</legend>
            <div
              className="mt-1 inline-flex overflow-hidden rounded-md border border-slate-300 dark:border-slate-700"
              role="radiogroup"
            >
              {METHODS.map((method) => (
                <label
                  key={method}
                  className={`cursor-pointer px-3 py-1.5 text-sm ${fields.method === method ? "bg-orange-600 text-white" : "hover:bg-slate-100 dark:hover:bg-slate-800"}`}
                >
                  <input
                    type="radio"
                    name="method"
                    value={method}
                    checked={fields.method === method}
                    onChange={() => set("method", method)}
                    className="sr-only"
                  />
                  {t(`form.methods.${method}`)}
                </label>
              ))}
            </div>
          </fieldset>

          {fields.method === "kubeconfig" && (
            <div className="space-y-3">
              <Field
                name="kubeconfig"
                label={t("form.kubeconfig")}
                hint={t("form.kubeconfigHint")}
                error={errorKey("kubeconfig")}
              >
                <textarea
                  value={fields.kubeconfig}
                  onChange={(event) => set("kubeconfig", event.target.value)}
                  rows={12}
                  spellCheck={false}
                  autoComplete="off"
                  className={textareaClass}
                />
              </Field>
              <label className="block text-sm">
                <span className="font-medium">{t("form.upload")}</span>
                <input
                  type="file"
                  accept=".yaml,.yml,.json,.conf,.config,text/plain"
                  className="mt-1 block text-sm"
                  onChange={(event) => void upload(event.target.files?.[0])}
                />
              </label>
              {summary && summary.contexts.length > 0 && (
                <Field
                  name="context"
                  label={t("form.context")}
                  hint={t("form.contextsFound", { count: summary.contexts.length })}
                  error={errorKey("context")}
                >
                  <select
                    value={fields.context || summary.currentContext || ""}
                    onChange={(event) => set("context", event.target.value)}
                    className={inputClass}
                  >
                    {!summary.currentContext && <option value="">—</option>}
                    {summary.contexts.map((context) => (
                      <option key={context.name} value={context.name}>
                        {context.name}
                        {context.server ? ` (${context.server})` : ""}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </div>
          )}

          {fields.method !== "kubeconfig" && (
            <Field name="server" label={t("form.server")} hint={t("form.serverHint")} error={errorKey("server")}>
              <input
                value={fields.server}
                onChange={(event) => set("server", event.target.value)}
                placeholder="https://"
                className={inputClass}
                autoComplete="off"
              />
            </Field>
          )}

          {fields.method === "token" && (
            <Field name="token" label={t("form.token")} hint={t("form.tokenHint")} error={errorKey("token")}>
              <input
                type="password"
                value={fields.token}
                onChange={(event) => set("token", event.target.value)}
                className={inputClass}
                autoComplete="off"
              />
            </Field>
          )}

          {fields.method === "certificate" && (
            <>
              <Field name="clientCertificate" label={t("form.clientCertificate")} error={errorKey("clientCertificate")}>
                <textarea
                  value={fields.clientCertificate}
                  onChange={(event) => set("clientCertificate", event.target.value)}
                  rows={5}
                  spellCheck={false}
                  className={textareaClass}
                />
              </Field>
              <Field name="clientKey" label={t("form.clientKey")} error={errorKey("clientKey")}>
                <textarea
                  value={fields.clientKey}
                  onChange={(event) => set("clientKey", event.target.value)}
                  rows={5}
                  spellCheck={false}
                  autoComplete="off"
                  className={textareaClass}
                />
              </Field>
            </>
          )}

          {fields.method !== "kubeconfig" && (
            <Field
              name="caCertificate"
              label={t("form.caCertificate")}
              hint={t("form.caHint")}
              error={errorKey("caCertificate")}
            >
              <textarea
                value={fields.caCertificate}
                onChange={(event) => set("caCertificate", event.target.value)}
                rows={5}
                spellCheck={false}
                className={textareaClass}
              />
            </Field>
          )}

          <div className="text-sm">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                name="skipTlsVerify"
                checked={fields.skipTlsVerify}
                onChange={(event) => set("skipTlsVerify", event.target.checked)}
              />
              {t("form.skipTlsVerify")}
            </label>
            {fields.skipTlsVerify && (
              <p
                role="alert"
                className="mt-1 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200"
              >
                {t("form.skipTlsWarning")}
              </p>
            )}
          </div>
        </>
      )}

      <Field name="namespace" label={t("form.namespace")} error={errorKey("namespace")}>
        <input
          value={fields.namespace}
          onChange={(event) => set("namespace", event.target.value)}
          className={`${inputClass} max-w-xs`}
        />
      </Field>

      {!connection && (
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={fields.makeDefault}
            onChange={(event) => set("makeDefault", event.target.checked)}
          />
          {t("form.makeDefault")}
        </label>
      )}

      {(errorKey("form") ?? errorKey("method")) && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {errorKey("form") ?? errorKey("method")}
        </p>
      )}
      {problem && <ProblemAlert problem={problem} />}

      <div className="flex flex-wrap gap-3">
        <Button onClick={test} disabled={pending}>
          {busy === "test" ? t("form.testing") : t("form.test")}
        </Button>
        <Button type="submit" disabled={pending} variant="primary">
          {busy === "save" ? t("form.saving") : t("form.save")}
        </Button>
      </div>

      {report && <TestReport report={report} />}
    </form>
  );
}
