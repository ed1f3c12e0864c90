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

/**
 * Makes a value asynchronously, once, on first use; callers waiting meanwhile share it. A failure
 * is not kept: the next call makes it again (in a warm Lambda container, the next invocation
 * retries a secret that was fixed, a transient error, a module that could not load).
 *
 * @example const signer = lazyAsync(() => KmsSigner.create(kms, keyArn)); await signer();
 */
export function lazyAsync<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    if (made) return made;
    const making = make();
    made = making;
    making.catch(() => {
      if (made === making) made = undefined;
    });
    return making;
  };
}
