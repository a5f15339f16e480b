/**
 * End to end for Lambda function URLs on a running stack, continued: bad URL config requests
 * through the real AWS SDK get AWS's exceptions, status codes and messages. See
 * function-urls.test.ts for the config's life cycle and invocation through the URL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  awsError,
  NO_FUNCTION,
  NO_RESOURCE,
  QUALIFIER_PATTERN,
  useUrlSuite,
} from '../helpers/function-urls.js';
import { uniqueName } from '../helpers/stack.js';

describe('function URL config refusals on the real stack', () => {
  const { ctx, fn } = useUrlSuite();

  it('refuses bad URL config requests with AWS’s exceptions and messages', async () => {
    const missing = uniqueName('url-missing');
    const noFunction = awsError('ResourceNotFoundException', 404, NO_FUNCTION);
    const noResource = awsError('ResourceNotFoundException', 404, NO_RESOURCE);
    await assert.rejects(
      ctx.client.send(
        new CreateFunctionUrlConfigCommand({ FunctionName: missing, AuthType: 'NONE' }),
      ),
      noFunction,
    );
    await assert.rejects(
      ctx.client.send(new GetFunctionUrlConfigCommand({ FunctionName: missing })),
      noResource,
    );
    await assert.rejects(
      ctx.client.send(
        new UpdateFunctionUrlConfigCommand({ FunctionName: missing, AuthType: 'NONE' }),
      ),
      noFunction,
    );
    await assert.rejects(
      ctx.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: missing })),
      noResource,
    );
    await assert.rejects(
      ctx.client.send(new ListFunctionUrlConfigsCommand({ FunctionName: missing })),
      noFunction,
    );
    for (const Qualifier of ['$LATEST', '1']) {
      await assert.rejects(
        ctx.client.send(new GetFunctionUrlConfigCommand({ FunctionName: fn.crud, Qualifier })),
        awsError(
          'ValidationException',
          400,
          `1 validation error detected: Value '${Qualifier}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${QUALIFIER_PATTERN}`,
        ),
      );
    }
    await assert.rejects(
      ctx.client.send(
        new CreateFunctionUrlConfigCommand({
          FunctionName: fn.crud,
          Qualifier: 'v1',
          AuthType: 'NONE',
        }),
      ),
      noFunction,
    );
    await assert.rejects(
      ctx.client.send(
        new GetFunctionUrlConfigCommand({ FunctionName: `${fn.crud}:a`, Qualifier: 'b' }),
      ),
      awsError(
        'InvalidParameterValueException',
        400,
        'The derived qualifier from the function name does not match the specified qualifier.',
      ),
    );
    await assert.rejects(
      ctx.client.send(
        new CreateFunctionUrlConfigCommand({
          FunctionName: fn.crud,
          AuthType: 'NONE',
          InvokeMode: 'UNKNOWN' as 'BUFFERED',
        }),
      ),
      awsError(
        'ValidationException',
        400,
        "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
      ),
    );
  });
});
