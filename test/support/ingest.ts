/**
 * Loading through a running server's ingestion API, as `partner-insights load` does beside it:
 * POST /ingest/uploads with the file's bytes, then POST /ingest/loads with the upload.
 */
export async function uploadAndStartLoad(baseUrl: string, headers: Record<string, string>, name: string, body: Buffer): Promise<string> {
  const uploaded = await fetch(`${baseUrl}/ingest/uploads?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body,
  });
  expect(uploaded.status).toBe(201);
  const { uploadId } = (await uploaded.json()) as { uploadId: string };
  const started = await fetch(`${baseUrl}/ingest/loads`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ uploads: [uploadId] }),
  });
  expect(started.status).toBe(202);
  return ((await started.json()) as { id: string }).id;
}

/** GET /ingest/loads/<id>: the load job as the server reports it. */
export async function loadJob(baseUrl: string, headers: Record<string, string>, id: string): Promise<any> {
  return (await fetch(`${baseUrl}/ingest/loads/${id}`, { headers })).json();
}

/** The job once it has ended (neither QUEUED nor RUNNING), polled every `everyMs`. */
export async function finishedLoadJob(baseUrl: string, headers: Record<string, string>, id: string, everyMs = 200): Promise<any> {
  for (;;) {
    const job = await loadJob(baseUrl, headers, id);
    if (job.state !== 'QUEUED' && job.state !== 'RUNNING') return job;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
