// SPDX-License-Identifier: MIT
pragma solidity ^0.8.30;

// The debugger's source-level fixture. A comment `// @name` marks a line the tests expect
// stepping and breakpoints to land on (they find the line number by the marker).

contract Counter {
    event Bumped(address indexed by, uint256 value);

    uint256 public total; // @total

    function bump(uint256 by) external returns (uint256) { // @bump-header
        total += by; // @bump-add
        emit Bumped(msg.sender, total); // @bump-emit
        return total; // @bump-return
    }
}

contract Vault {
    error TooMuch(uint256 asked, uint256 limit);

    event Deposited(address indexed from, uint256 amount, string note);

    Counter public immutable counter;
    uint256 public immutable limit;
    mapping(address => uint256) public balances;

    constructor(uint256 limit_) {
        limit = limit_; // @ctor-limit
        counter = new Counter(); // @ctor-new
    }

    function deposit(uint256 amount, string calldata note) external returns (uint256) {
        require(amount > 0, "amount is zero"); // @deposit-require
        if (amount > limit) revert TooMuch(amount, limit); // @deposit-limit
        uint256 doubled = double(amount); // @deposit-double
        balances[msg.sender] += doubled; // @deposit-store
        emit Deposited(msg.sender, doubled, note); // @deposit-emit
        return counter.bump(doubled); // @deposit-bump
    }

    function double(uint256 x) internal pure returns (uint256) {
        return x * 2; // @double-body
    }
}
