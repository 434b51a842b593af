/** A form's field error (role=alert), or nothing. */
export function FieldError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <span role="alert" className="mt-1 block text-xs font-normal text-red-600 dark:text-red-400">
      {message}
    </span>
  );
}
