import { AddressInfo, createServer } from 'node:net';
import {
  CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, QueryCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { ConnectionAttributes } from '../../src/wire-contract';

// dynalite ships no type declarations; this is the part of its API the tests use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite: (options: Record<string, unknown>) => import('node:http').Server = require('dynalite');

export const TEST_REGION = 'eu-west-1';
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

/**
 * Sets the region and credential variables a handler's SDK clients read (Lambda sets them for a function), to the
 * test region and credentials, for code that builds its clients from the environment.
 */
export function useTestEnvironmentCredentials(): void {
  process.env.AWS_REGION = TEST_REGION;
  process.env.AWS_ACCESS_KEY_ID = TEST_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = TEST_CREDENTIALS.secretAccessKey;
}

/** An in-process DynamoDB (dynalite) on 127.0.0.1 with the connections table the construct creates. */
export interface ConnectionsTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly client: DynamoDBClient;
  getRow(connectionId: string): Promise<Record<string, unknown> | undefined>;
  rowsOfUser(userId: string): Promise<Array<Record<string, unknown>>>;
  /** Deletes every row, so each test starts from an empty table. */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function startConnectionsTable(tableName = 'Connections'): Promise<ConnectionsTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
  // The construct's schema: PK connectionId (S), GSI userIdIndex on userId (S) projecting ALL, GSI expiryIndex on
  // expiryMinute (N) projecting expiresAt, on-demand.
  await client.send(new CreateTableCommand({
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: ConnectionAttributes.CONNECTION_ID, AttributeType: 'S' },
      { AttributeName: ConnectionAttributes.USER_ID, AttributeType: 'S' },
      { AttributeName: ConnectionAttributes.EXPIRY_MINUTE, AttributeType: 'N' },
    ],
    KeySchema: [{ AttributeName: ConnectionAttributes.CONNECTION_ID, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: ConnectionAttributes.USER_ID_INDEX,
      KeySchema: [{ AttributeName: ConnectionAttributes.USER_ID, KeyType: 'HASH' }],
      Projection: { ProjectionType: 'ALL' },
    }, {
      IndexName: ConnectionAttributes.EXPIRY_INDEX,
      KeySchema: [{ AttributeName: ConnectionAttributes.EXPIRY_MINUTE, KeyType: 'HASH' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [ConnectionAttributes.EXPIRES_AT] },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE' && Table.GlobalSecondaryIndexes?.every((index) => index.IndexStatus === 'ACTIVE')) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return {
    endpoint,
    tableName,
    client,
    async getRow(connectionId) {
      const { Item } = await client.send(new GetItemCommand({
        TableName: tableName,
        Key: { [ConnectionAttributes.CONNECTION_ID]: { S: connectionId } },
        ConsistentRead: true,
      }));
      return Item;
    },
    async rowsOfUser(userId) {
      const { Items } = await client.send(new QueryCommand({
        TableName: tableName,
        IndexName: ConnectionAttributes.USER_ID_INDEX,
        KeyConditionExpression: '#u = :u',
        ExpressionAttributeNames: { '#u': ConnectionAttributes.USER_ID },
        ExpressionAttributeValues: { ':u': { S: userId } },
      }));
      return Items ?? [];
    },
    async clear() {
      for (;;) {
        const { Items } = await client.send(new ScanCommand({ TableName: tableName, ProjectionExpression: '#c', ExpressionAttributeNames: { '#c': ConnectionAttributes.CONNECTION_ID } }));
        if (!Items?.length) return;
        await Promise.all(Items.map((Key) => client.send(new DeleteItemCommand({ TableName: tableName, Key }))));
      }
    },
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A DynamoDB endpoint that refuses connections: a port that was just released. */
export async function unreachableEndpoint(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
