// Every error the API answers has one body: a stable code and a sentence for people.
import { z } from "@hono/zod-openapi";

export const ErrorBody = z
  .strictObject({
    error: z.string().describe("A stable code: invalid_request, not_found, internal_error"),
    message: z.string(),
  })
  .openapi("Error");
