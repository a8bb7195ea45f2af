<?php
/* The IdP's test people: the same as tests/sso/oidc_idp/users.py, password
 * "correct horse", with eduPerson attributes by their friendly names (the IdP maps
 * them to OIDs on the way out: saml20-idp-hosted.php). */
$person = function ($uid, $given, $sn, $mail, $affiliation) {
    return [
        'eduPersonPrincipalName' => [$uid . '@example.edu'],
        'mail' => [$mail],
        'givenName' => [$given],
        'sn' => [$sn],
        'displayName' => [$given . ' ' . $sn],
        'eduPersonAffiliation' => $affiliation,
    ];
};
$config = [
    'admin' => ['core:AdminPassword'],
    'university' => [
        'exampleauth:UserPass',
        'ada:correct horse' => $person('ada', 'Ada', 'Lovelace', 'ada@example.edu', ['student', 'member']),
        'grace:correct horse' => $person('grace', 'Grace', 'Hopper', 'grace@example.edu', ['faculty', 'member']),
        // Known to the IdP, but released without any subject attribute.
        'nemo:correct horse' => ['mail' => ['nemo@example.edu'], 'givenName' => ['Nemo']],
        'mallory:correct horse' => $person('mallory', 'Mallory', 'Outsider', 'mallory@elsewhere.example', ['affiliate']),
    ],
];
