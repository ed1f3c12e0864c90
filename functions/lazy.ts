/**
 * Makes a value once, on first use, and hands out the same one after: clients and configuration
 * are made when first needed, so importing a module (the CLI's commands that need no AWS SDK,
 * a Lambda handler in a test or the init-time bench) reads no environment and loads nothing.
 *
 * @example const s3 = lazy(() => new S3Client({})); s3() === s3(); // true
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}
