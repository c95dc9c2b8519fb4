import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { CloudFormationTableProperties, LocalDynamoDb, startLocalDynamoDb } from '../../local/local-dynamodb';
import { ConnectionAttributes } from '../../src/wire-contract';

/** The connections table as the template declares it (the AWS sample's schema). */
const CONNECTIONS_TABLE: CloudFormationTableProperties = {
  KeySchema: [{ AttributeName: ConnectionAttributes.CONNECTION_ID, KeyType: 'HASH' }],
  AttributeDefinitions: [
    { AttributeName: ConnectionAttributes.CONNECTION_ID, AttributeType: 'S' },
    { AttributeName: ConnectionAttributes.USER_ID, AttributeType: 'S' },
  ],
  BillingMode: 'PAY_PER_REQUEST',
  GlobalSecondaryIndexes: [{
    IndexName: ConnectionAttributes.USER_ID_INDEX,
    KeySchema: [{ AttributeName: ConnectionAttributes.USER_ID, KeyType: 'HASH' }],
    Projection: { ProjectionType: 'ALL' },
  }],
  TimeToLiveSpecification: { AttributeName: ConnectionAttributes.REMOVED_AT, Enabled: true },
  SSESpecification: { SSEEnabled: true },
};

function connectionRow(connectionId: string, userId: string, removedAt: number) {
  return {
    [ConnectionAttributes.CONNECTION_ID]: { S: connectionId },
    [ConnectionAttributes.USER_ID]: { S: userId },
    [ConnectionAttributes.REMOVED_AT]: { N: String(removedAt) },
  };
}

describe('startLocalDynamoDb', () => {
  let now = Date.UTC(2030, 0, 1);
  let dynamoDb: LocalDynamoDb;
  let client: DynamoDBClient;

  beforeAll(async () => {
    dynamoDb = await startLocalDynamoDb({
      tables: [{ ...CONNECTIONS_TABLE, TableName: 'connections' }, { ...CONNECTIONS_TABLE }],
      ttlSweepIntervalMs: 0,
      clock: () => now,
    });
    client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamoDb.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(async () => {
    client.destroy();
    await dynamoDb.close();
  });

  test('creates each table with the template\'s key schema and GSI, keeping a given name and generating a missing one', async () => {
    expect(dynamoDb.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dynamoDb.tableNames[0]).toBe('connections');
    expect(dynamoDb.tableNames[1]).toMatch(/^local-table-[0-9a-f]{12}$/);
    for (const tableName of dynamoDb.tableNames) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(Table).toMatchObject({
        TableStatus: 'ACTIVE',
        KeySchema: [{ AttributeName: 'connectionId', KeyType: 'HASH' }],
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        GlobalSecondaryIndexes: [expect.objectContaining({
          IndexName: 'userIdIndex',
          KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        })],
      });
    }
  });

  test('the AWS SDK puts rows and queries them by user through the GSI', async () => {
    await client.send(new PutItemCommand({ TableName: 'connections', Item: connectionRow('conn-a1', 'user-a', 2_000_000_000) }));
    await client.send(new PutItemCommand({ TableName: 'connections', Item: connectionRow('conn-a2', 'user-a', 2_000_000_000) }));
    await client.send(new PutItemCommand({ TableName: 'connections', Item: connectionRow('conn-b1', 'user-b', 2_000_000_000) }));

    const { Items } = await client.send(new QueryCommand({
      TableName: 'connections',
      IndexName: ConnectionAttributes.USER_ID_INDEX,
      KeyConditionExpression: '#userId = :userId',
      ExpressionAttributeNames: { '#userId': ConnectionAttributes.USER_ID },
      ExpressionAttributeValues: { ':userId': { S: 'user-a' } },
    }));
    expect(Items?.map((item) => item.connectionId.S).sort()).toEqual(['conn-a1', 'conn-a2']);
  });

  test('the TTL sweep deletes rows whose removedAt has passed and keeps the others', async () => {
    const nowSeconds = Math.floor(now / 1000);
    await client.send(new PutItemCommand({ TableName: 'connections', Item: connectionRow('conn-expired', 'user-c', nowSeconds - 1) }));
    await client.send(new PutItemCommand({ TableName: 'connections', Item: connectionRow('conn-live', 'user-c', nowSeconds + 60) }));
    // A TTL attribute that is not a Number never expires, as in DynamoDB.
    await client.send(new PutItemCommand({
      TableName: 'connections',
      Item: { connectionId: { S: 'conn-string-ttl' }, userId: { S: 'user-c' }, removedAt: { S: '1' } },
    }));

    expect(await dynamoDb.sweepExpiredItems()).toBe(1);

    const get = (connectionId: string) => client.send(new GetItemCommand({ TableName: 'connections', Key: { connectionId: { S: connectionId } } }));
    expect((await get('conn-expired')).Item).toBeUndefined();
    expect((await get('conn-live')).Item).toBeDefined();
    expect((await get('conn-string-ttl')).Item).toBeDefined();

    now += 120_000;
    expect(await dynamoDb.sweepExpiredItems()).toBe(1);
    expect((await get('conn-live')).Item).toBeUndefined();
  });

  test('a table the template cannot create is reported with the reason DynamoDB gives', async () => {
    await expect(startLocalDynamoDb({
      tables: [{ ...CONNECTIONS_TABLE, TableName: 'broken', KeySchema: [{ AttributeName: 'undeclared', KeyType: 'HASH' }] }],
    })).rejects.toThrow(/CreateTable failed/);
  });

  test('a table that never turns ACTIVE fails the start within the deadline, naming the table, and frees the port', async () => {
    // GIVEN a store whose tables stay CREATING far longer than the start waits for them
    const listeningBefore = process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
    // WHEN it starts, THEN it gives up at the deadline with the table's name and its last status
    await expect(startLocalDynamoDb({
      tables: [{ ...CONNECTIONS_TABLE, TableName: 'never-ready' }], tableCreationMs: 3_000, tableReadyTimeoutMs: 300,
    })).rejects.toThrow('DynamoDB table never-ready did not become ACTIVE within 300 ms (last status: CREATING)');
    // AND its endpoint no longer listens
    expect(process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap')).toHaveLength(listeningBefore);
  });

  test('close() stops the endpoint', async () => {
    const other = await startLocalDynamoDb({ tables: [{ ...CONNECTIONS_TABLE, TableName: 'short-lived' }] });
    await other.close();
    await expect(fetch(other.endpoint, { method: 'POST' })).rejects.toThrow();
  });
});
