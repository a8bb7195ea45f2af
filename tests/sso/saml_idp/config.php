<?php
/* SimpleSAMLphp (Debian's simplesamlphp package) as the tests' SAML identity provider.
 * tests/sso/saml_idp/run.py copies this folder to a run directory and fills in the
 * @@...@@ values; nothing here is for production. */
$config = [
    'baseurlpath' => 'http://127.0.0.1:@@PORT@@/simplesaml/',
    'certdir' => '@@RUN@@/cert/',
    'loggingdir' => '@@RUN@@/log/',
    'datadir' => '@@RUN@@/data/',
    'tempdir' => '@@RUN@@/tmp/',
    'metadatadir' => '@@RUN@@/config/metadata/',
    'attributenamemapdir' => '/etc/simplesamlphp/attributemap/',
    'technicalcontact_name' => 'Example University IT desk',
    'technicalcontact_email' => 'it@example.edu',
    'timezone' => 'UTC',
    'secretsalt' => 'tests-only-not-a-secret',
    'auth.adminpassword' => 'tests-only-not-a-secret',
    'admin.protectindexpage' => false,
    'admin.protectmetadata' => false,
    'logging.level' => SimpleSAML\Logger::DEBUG,
    'logging.handler' => 'file',
    'logging.logfile' => 'simplesamlphp.log',
    'enable.saml20-idp' => true,
    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true],
    'session.cookie.secure' => false,
    'session.cookie.name' => 'IdPSessionID',
    'session.phpsession.cookiename' => 'IdPSession',
    'session.authtoken.cookiename' => 'IdPAuthToken',
    'store.type' => 'phpsession',
    'metadata.sources' => [['type' => 'flatfile']],
    'language.default' => 'en',
];
