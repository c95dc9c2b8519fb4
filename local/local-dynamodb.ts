/// <reference path="./dynalite-module.d.ts" />
import type { IncomingMessage, Server, ServerResponse } from 'http';
import dynalite from 'dynalite';
import { HEXADECIMAL, randomId } from './ids';
import { listenOnLoopback } from './loopback-listener';
import type { AllowedOrigins } from './loopback-request-policy';

/**
 * DynamoDB for the local runtime: dynalite, in memory, on 127.0.0.1, with
 * each table created from its CloudFormation `AWS::DynamoDB::Table`
 * Properties (intrinsics already resolved), so the handlers meet the same
 * keys, indexes and billing mode as in AWS.
 *
 * dynalite has no UpdateTimeToLive, so TTL is honoured here: items whose TTL
 * attribute (a Number, epoch seconds) lies in the past are deleted by a
 * periodic sweep, as DynamoDB does (DynamoDB may take up to days; readers
 * must not rely on the exact moment either way).
 */

/** The subset of CloudFormation's AWS::DynamoDB::Table Properties that shapes a table. */
export interface CloudFormationTableProperties {
  readonly TableName?: unknown;
  readonly KeySchema: ReadonlyArray<{ AttributeName: string; KeyType: string }>;
  readonly AttributeDefinitions: ReadonlyArray<{ AttributeName: string; AttributeType: string }>;
  readonly BillingMode?: string;
  readonly ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  readonly GlobalSecondaryIndexes?: ReadonlyArray<CloudFormationIndex & {
    ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  }>;
  readonly LocalSecondaryIndexes?: ReadonlyArray<CloudFormationIndex>;
  readonly TimeToLiveSpecification?: { AttributeName?: string; Enabled?: boolean | string };
  readonly [other: string]: unknown;
}

interface CloudFormationIndex {
  readonly IndexName: string;
  readonly KeySchema: ReadonlyArray<{ AttributeName: string; KeyType: string }>;
  readonly Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] };
}

export interface LocalDynamoDbOptions {
  /** One entry per table, in any order; a table without a string `TableName` gets a generated one. */
  readonly tables: CloudFormationTableProperties[];
  /** @default an ephemeral port */
  readonly port?: number;
  /**
   * Pages that may call it from a browser (dynalite answers them with `Access-Control-Allow-Origin: *`, as
   * DynamoDB does; every other origin is refused before it). @default - loopback pages only
   */
  readonly allowedOrigins?: AllowedOrigins;
  /** Region written into request signatures; dynalite ignores it. @default 'us-east-1' */
  readonly region?: string;
  /** How often expired TTL items are deleted; 0 disables the timer (call `sweepExpiredItems`). @default 5000 */
  readonly ttlSweepIntervalMs?: number;
  /** Epoch milliseconds, injected for tests of TTL. @default Date.now */
  readonly clock?: () => number;
  /** How long a new table stays CREATING before it turns ACTIVE, as in DynamoDB. @default 0 */
  readonly tableCreationMs?: number;
  /** How long to wait for a new table to turn ACTIVE; past it, starting fails and names the table. @default 10000 */
  readonly tableReadyTimeoutMs?: number;
}

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: give it to handlers as `AWS_ENDPOINT_URL_DYNAMODB`. */
  readonly endpoint: string;
  /** The created tables' names, in the order of `options.tables`. */
  readonly tableNames: string[];
  /** Deletes every item whose TTL attribute is in the past; returns how many. */
  sweepExpiredItems(): Promise<number>;
  close(): Promise<void>;
}

type AttributeValue = Record<string, unknown>;

/** A table whose expired items the sweep deletes. */
interface TtlTable {
  readonly tableName: string;
  readonly ttlAttribute: string;
  readonly keyAttributes: string[];
}

export async function startLocalDynamoDb(options: LocalDynamoDbOptions): Promise<LocalDynamoDb> {
  const createTableMs = options.tableCreationMs ?? 0;
  const server = survivingAbortedRequests(dynalite({ createTableMs, deleteTableMs: 0, updateTableMs: 0 }));
  const listener = await listenOnLoopback(server, options.port, options.allowedOrigins);
  const call = dynamoDbCaller(`http://127.0.0.1:${listener.port}`, options.region ?? 'us-east-1');
  let created: { tableNames: string[]; ttlTables: TtlTable[] };
  try {
    created = await createTables(call, options.tables, options.tableReadyTimeoutMs ?? 10_000);
  } catch (err) {
    await listener.close();
    throw err;
  }
  const clock = options.clock ?? Date.now;
  const { tableNames, ttlTables } = created;
  const sweepExpiredItems = () => sweep(call, ttlTables, Math.floor(clock() / 1000));
  const intervalMs = options.ttlSweepIntervalMs ?? 5000;
  let sweeping = false;
  const timer = intervalMs > 0 && ttlTables.length > 0
    ? setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      // A failed sweep (e.g. during shutdown) is retried on the next tick; TTL is best effort in AWS too.
      sweepExpiredItems().catch(() => undefined).finally(() => { sweeping = false; });
    }, intervalMs)
    : undefined;
  timer?.unref();

  return {
    endpoint: `http://127.0.0.1:${listener.port}`,
    tableNames,
    sweepExpiredItems,
    close: async () => {
      if (timer) clearInterval(timer);
      await listener.close();
    },
  };
}

/**
 * dynalite (4.x) rethrows a request's socket error from its 'error' listener, so one client that aborts a request
 * (a partial body, then a reset) ends the whole process. Here such a request ends only its own response.
 */
function survivingAbortedRequests(server: Server): Server {
  const handlers = server.listeners('request') as Array<(request: IncomingMessage, response: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    for (const handler of handlers) handler.call(server, request, response);
    request.removeAllListeners('error');
    request.on('error', () => response.destroy());
  });
  return server;
}

/** Creates every table and waits until each is ACTIVE; returns their names and those with TTL enabled. */
async function createTables(
  call: DynamoDbCall, tables: CloudFormationTableProperties[], readyTimeoutMs: number,
): Promise<{ tableNames: string[]; ttlTables: TtlTable[] }> {
  const ttlTables: TtlTable[] = [];
  const tableNames: string[] = [];
  for (const table of tables) {
    const request = createTableRequest(table);
    await call('CreateTable', request);
    tableNames.push(request.TableName);
    const ttl = table.TimeToLiveSpecification;
    if (ttl?.AttributeName && (ttl.Enabled === true || ttl.Enabled === 'true')) {
      const keyAttributes = table.KeySchema.map((key) => key.AttributeName);
      ttlTables.push({ tableName: request.TableName, ttlAttribute: ttl.AttributeName, keyAttributes });
    }
  }
  for (const tableName of tableNames) {
    await waitUntilActive(call, tableName, readyTimeoutMs);
  }
  return { tableNames, ttlTables };
}

/** Deletes every item whose TTL attribute lies before `nowSeconds`; returns how many. */
async function sweep(call: DynamoDbCall, ttlTables: TtlTable[], nowSeconds: number): Promise<number> {
  let deleted = 0;
  for (const { tableName, ttlAttribute, keyAttributes } of ttlTables) {
    let startKey: unknown;
    do {
      const page = await call('Scan', {
        TableName: tableName,
        FilterExpression: '#ttl < :now',
        ExpressionAttributeNames: { '#ttl': ttlAttribute },
        ExpressionAttributeValues: { ':now': { N: String(nowSeconds) } },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }) as { Items?: AttributeValue[]; LastEvaluatedKey?: unknown };
      for (const item of page.Items ?? []) {
        const key = Object.fromEntries(keyAttributes.map((name) => [name, item[name]]));
        await call('DeleteItem', { TableName: tableName, Key: key });
        deleted += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
  return deleted;
}

/** CreateTable input from template Properties: only what DynamoDB's CreateTable accepts and dynalite models. */
export function createTableRequest(table: CloudFormationTableProperties): { TableName: string; [key: string]: unknown } {
  const onDemand = table.BillingMode === 'PAY_PER_REQUEST';
  const throughput = (given?: { ReadCapacityUnits: number; WriteCapacityUnits: number }) => onDemand
    ? {}
    : {
      ProvisionedThroughput: {
        ReadCapacityUnits: Number(given?.ReadCapacityUnits ?? 5),
        WriteCapacityUnits: Number(given?.WriteCapacityUnits ?? 5),
      },
    };
  const projection = (index: CloudFormationIndex) => ({
    ProjectionType: index.Projection?.ProjectionType ?? 'KEYS_ONLY',
    ...(index.Projection?.NonKeyAttributes ? { NonKeyAttributes: index.Projection.NonKeyAttributes } : {}),
  });
  return {
    TableName: typeof table.TableName === 'string' && table.TableName.length > 0
      ? table.TableName
      : `local-table-${randomId(12, HEXADECIMAL)}`,
    KeySchema: table.KeySchema,
    AttributeDefinitions: table.AttributeDefinitions,
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...throughput(table.ProvisionedThroughput),
    ...(table.GlobalSecondaryIndexes?.length
      ? {
        GlobalSecondaryIndexes: table.GlobalSecondaryIndexes.map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: projection(index),
          ...throughput(index.ProvisionedThroughput),
        })),
      }
      : {}),
    ...(table.LocalSecondaryIndexes?.length
      ? {
        LocalSecondaryIndexes: table.LocalSecondaryIndexes.map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: projection(index),
        })),
      }
      : {}),
  };
}

type DynamoDbCall = (operation: string, body: unknown, signal?: AbortSignal) => Promise<unknown>;

/** DynamoDB's JSON protocol; dynalite checks that a SigV4 header is present, not the signature. */
function dynamoDbCaller(endpoint: string, region: string): DynamoDbCall {
  return async (operation, body, signal) => {
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const response = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': `DynamoDB_20120810.${operation}`,
        'X-Amz-Date': amzDate,
        'Authorization': `AWS4-HMAC-SHA256 Credential=local/${amzDate.slice(0, 8)}/${region}/dynamodb/aws4_request, ` +
          'SignedHeaders=host;x-amz-date, Signature=0',
      },
      body: JSON.stringify(body),
      signal,
    });
    const result = await response.json() as { __type?: string; message?: string };
    if (!response.ok) {
      throw new Error(`DynamoDB ${operation} failed: ${result.__type ?? response.status}: ${result.message ?? ''}`);
    }
    return result;
  };
}

/**
 * Polls until the table is ACTIVE. The deadline also cuts off a DescribeTable that never answers (a wedged store):
 * the runtime then fails to start with the table's name instead of hanging.
 */
async function waitUntilActive(call: DynamoDbCall, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = AbortSignal.timeout(timeoutMs);
  let status = 'no answer';
  try {
    while (!deadline.aborted) {
      const description = await call('DescribeTable', { TableName: tableName }, deadline) as { Table?: { TableStatus?: string } };
      status = description.Table?.TableStatus ?? 'unknown';
      if (status === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (err) {
    if (!deadline.aborted) throw err;
  }
  throw new Error(`DynamoDB table ${tableName} did not become ACTIVE within ${timeoutMs} ms (last status: ${status})`);
}
