// Run by bootstrap.sh in mongosh, connected to the local member over localhost. Idempotent.
//  1. member 0 initiates the replica set once (all members from MEMBERS);
//  2. the primary adds members that MEMBERS lists and the replica set lacks (scale up);
//  3. the primary creates the root user through the localhost exception (only possible while no user exists);
//  4. the primary creates or updates one user per service database: readWrite on that database only,
//     password from /auth/<database>-password.
// Environment: ORDINAL, RS_NAME, MEMBERS (host:port,...), DATABASES (a,b,...), ROOT_USER, SECRET_SUM, LAST_APPLIED.
const fs = require('fs');
const env = process.env;
const secret = (key) => fs.readFileSync('/auth/' + key, 'utf8').trim();
const members = env.MEMBERS.split(',').filter((h) => h.length > 0);

let hello = db.hello();
if (hello.isreplicaset && !hello.setName) {
  if (env.ORDINAL !== '0') {
    print('waiting for member 0 to initiate the replica set');
    quit(0);
  }
  rs.initiate({ _id: env.RS_NAME, members: members.map((host, i) => ({ _id: i, host: host })) });
  print('replica set ' + env.RS_NAME + ' initiated with ' + members.length + ' members');
  quit(0); // the primary is elected within seconds; the next round continues
}
if (!hello.isWritablePrimary) {
  quit(0); // secondaries have nothing to do
}

const admin = db.getSiblingDB('admin');
let authenticated = false;
try {
  authenticated = admin.auth(env.ROOT_USER, secret('root-password')).ok === 1;
} catch (e) {
  authenticated = false;
}
if (!authenticated) {
  // Succeeds only through the localhost exception, i.e. while the database has no user at all.
  admin.createUser({ user: env.ROOT_USER, pwd: secret('root-password'), roles: ['root'] });
  admin.auth(env.ROOT_USER, secret('root-password'));
  print('root user created');
}

const config = rs.conf();
const known = config.members.map((m) => m.host);
for (const host of members) {
  if (!known.includes(host)) {
    rs.add({ host: host });
    print('member added: ' + host);
  }
}

if (env.SECRET_SUM && env.SECRET_SUM === env.LAST_APPLIED) {
  print('users in sync');
  quit(0);
}
for (const name of env.DATABASES.split(',').filter((d) => d.length > 0)) {
  const database = db.getSiblingDB(name);
  const pwd = secret(name + '-password');
  const roles = [{ role: 'readWrite', db: name }];
  if (database.getUser(name)) {
    database.updateUser(name, { pwd: pwd, roles: roles }, { w: 'majority' });
  } else {
    database.createUser({ user: name, pwd: pwd, roles: roles }, { w: 'majority' });
    print('user created: ' + name);
  }
}
print('users in sync');
