"use client";
// The pieces the sign-in and sign-up forms share: a labelled field with its hint and error, a
// password field that can be shown, a submit button that shows when the form is busy.

import { useId, useState } from "react";
import { useFormStatus } from "react-dom";
import { buttonClass } from "@/components/ui/button-styles";

const INPUT =
  "block w-full rounded-lg border bg-white px-3 py-2.5 text-base shadow-sm outline-none transition-colors placeholder:text-zinc-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 disabled:opacity-60 sm:text-sm dark:bg-zinc-900";
const INPUT_OK = "border-zinc-300 dark:border-zinc-700";
const INPUT_ERROR = "border-red-500 dark:border-red-500";

type FieldProps = {
  name: "email" | "password";
  label: string;
  error?: string;
  hint?: string;
  defaultValue?: string;
  autoComplete: string;
  autoFocus?: boolean;
};

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

export function EmailField({
  name,
  label,
  error,
  hint,
  defaultValue,
  autoComplete,
  autoFocus,
}: FieldProps) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="font-medium text-sm">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="email"
        inputMode="email"
        autoComplete={autoComplete}
        autoCapitalize="none"
        spellCheck={false}
        required
        maxLength={255}
        // Remounts with the value the server echoed back, after React resets the form.
        key={defaultValue}
        defaultValue={defaultValue}
        // biome-ignore lint/a11y/noAutofocus: only the field a failed submit points at, so the error is read out.
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
        className={`${INPUT} ${error ? INPUT_ERROR : INPUT_OK}`}
      />
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-red-600 text-sm dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function PasswordField({ name, label, error, hint, autoComplete, autoFocus }: FieldProps) {
  const id = useId();
  const [visible, setVisible] = useState(false);
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="font-medium text-sm">
        {label}
      </label>
      <div className="relative">
        <input
          id={id}
          name={name}
          type={visible ? "text" : "password"}
          autoComplete={autoComplete}
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={1024}
          // biome-ignore lint/a11y/noAutofocus: only the field a failed submit points at, so the error is read out.
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
          className={`${INPUT} pr-16 ${error ? INPUT_ERROR : INPUT_OK}`}
        />
        <button
          type="button"
          onClick={() => setVisible((v) => !v)}
          aria-pressed={visible}
          aria-controls={id}
          className="absolute inset-y-1 right-1 rounded-md px-3 font-medium text-brand-700 text-xs outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-brand-500 dark:text-brand-300 dark:hover:bg-zinc-800"
        >
          {visible ? "Hide" : "Show"}
          <span className="sr-only"> password</span>
        </button>
      </div>
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="text-red-600 text-sm dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function SubmitButton({ label, pendingLabel }: { label: string; pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={buttonClass("primary", "lg", "w-full")}
    >
      {pending ? (
        <span
          aria-hidden="true"
          className="size-4 animate-spin rounded-full border-2 border-white/40 border-t-white"
        />
      ) : null}
      {pending ? pendingLabel : label}
    </button>
  );
}

export function FormAlert({
  children,
  tone = "error",
}: {
  children: React.ReactNode;
  tone?: "error" | "info";
}) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`rounded-lg border px-3 py-2.5 text-sm ${
        tone === "error"
          ? "border-red-200 bg-red-50 text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
          : "border-brand-200 bg-brand-50 text-brand-900 dark:border-brand-800 dark:bg-brand-950/40 dark:text-brand-100"
      }`}
    >
      {children}
    </div>
  );
}
